"""Which outbound URLs and addresses a webhook may call (SSRF): public unicast only, unless the
deployment allows private targets (the local stack). Pure code; the resolver checks again after DNS."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # EC2, GCP, Azure instance metadata
    ipaddress.ip_address("169.254.170.2"),  # ECS task metadata
    ipaddress.ip_address("fd00:ec2::254"),  # EC2 metadata over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud metadata
}


def url_refusal(url: str, allow_private: bool) -> str | None:
    """Why a webhook URL may not be used, or None. Literal addresses are checked here; names are
    checked again after DNS resolution, just before each request. ``allow_private`` (the local stack)
    lets loopback and private networks through, never the metadata or link-local addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    if parts.scheme not in ("https", "http"):
        return "must be an https:// URL"
    if parts.scheme == "http" and not allow_private:
        return "must use https"
    if not parts.hostname:
        return "has no host"
    if parts.username or parts.password:
        return "may not contain credentials"
    if port == 0:
        return "has an invalid port"
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if allow_private:
            return None
        return None if parts.hostname.lower() != "localhost" else "points at a loopback address"
    return never_callable(str(literal)) if allow_private else address_refusal(str(literal))


def never_callable(address: str) -> str | None:
    """Why an address may never be called, whatever the settings: the cloud metadata services and the
    link-local ranges they live in (169.254.0.0/16, fe80::/10), in any IPv6 wrapping of an IPv4 address."""
    ip = _unwrapped(address)
    if ip in _METADATA:
        return "points at the cloud metadata address"
    if ip.is_link_local:
        return "points at a link-local address"
    return None


def address_refusal(address: str) -> str | None:
    """Why an address may not be called: only public unicast addresses are allowed."""
    never = never_callable(address)
    if never is not None:
        return never
    ip = _unwrapped(address)
    if ip.is_loopback or ip.is_unspecified:  # 0.0.0.0 and :: reach this very host
        return "points at a loopback address"
    if ip.is_private:
        return "points at a private address"
    if ip.is_multicast or ip.is_reserved or not ip.is_global:
        return "points at a reserved address"
    return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _unwrapped(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address inside an IPv4-mapped, NAT64, 6to4 or IPv4-compatible IPv6 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):  # 64:ff9b::a.b.c.d and ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip
