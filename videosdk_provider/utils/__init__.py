"""Helpers shared across the provider's layers that belong to none of them."""
