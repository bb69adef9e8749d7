"""Contracts shared by the layers: the API's response models."""
