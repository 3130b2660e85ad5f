"""A fictional demo network: organisations and their monthly reports as filled templates."""

from demo.network import (
    DEMO_ORGS,
    DemoOrg,
    demo_start_month,
    demo_workbooks,
    generate_network,
    last_complete_month,
)

__all__ = [
    "DEMO_ORGS", "DemoOrg", "demo_start_month", "demo_workbooks", "generate_network",
    "last_complete_month",
]
