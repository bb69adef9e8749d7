"""The local stack: DynamoDB Local, moto server, the Chalice app behind one HTTP/WebSocket front.

Infrastructure for development and tests only; never packaged into Lambda.
"""
