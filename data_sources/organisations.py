"""The organisation registry as the checker sees it: plain data, no database."""

import re
from dataclasses import dataclass, field


def normalise_name(text: str) -> str:
    """Lower case with single spaces, for matching names, codes and aliases."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@dataclass(frozen=True)
class Registry:
    # org_code -> org_name
    names: dict[str, str] = field(default_factory=dict)
    # normalised alias -> org_code
    aliases: dict[str, str] = field(default_factory=dict)

    def resolve(self, text) -> str | None:
        """The org_code that a cell names (code, name or registered alias), else None."""
        key = normalise_name(text)
        for code, name in self.names.items():
            if key in (normalise_name(code), normalise_name(name)):
                return code
        return self.aliases.get(key)
