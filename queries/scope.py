"""What a viewer may see: which organisations, municipalities and sectors, exact or suppressed.

Every query takes the scope's fields as bound list parameters (`$org_codes`,
`$municipalities`, `$sectors`; null = no restriction, an empty list = nothing), so the
scope is applied on the server, never by the page.
"""

from dataclasses import dataclass


def _as_tuple(values) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(values)


@dataclass(frozen=True)
class Scope:
    org_codes: tuple[str, ...] | None = None
    municipalities: tuple[str, ...] | None = None
    sectors: tuple[str, ...] | None = None
    # leadership sees exact counts; member-organisation and board views see protected counts
    # perturbed below `threshold` (docs/figures.md, "Privacy") and those that stay small hidden
    exact: bool = True
    threshold: int = 5

    def __post_init__(self):
        # frozen: normalise lists (and a lone string) to tuples so scopes hash and compare
        for name in ("org_codes", "municipalities", "sectors"):
            object.__setattr__(self, name, _as_tuple(getattr(self, name)))

    def params(self) -> dict:
        """The bound parameters every query understands (lists, or None for all)."""
        return {
            "org_codes": None if self.org_codes is None else list(self.org_codes),
            "municipalities": None if self.municipalities is None else list(self.municipalities),
            "sectors": None if self.sectors is None else list(self.sectors),
            # the rows' protected counts below this are perturbed; none for an exact view
            "protect_below": None if self.exact else self.threshold,
        }


NETWORK = Scope()
