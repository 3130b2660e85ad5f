"""Cached access to figures and queries for pages, keyed by data version, period and scope.

The warehouse argument is not hashed (leading underscore): its location stands for it, so
two warehouses in one process (tests) never share entries; `version` changes with every
upload or rollback, so a new upload is seen at once and old entries simply age out.
"""

import threading

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from data_sources.values import municipality_label
from queries import run_query
from queries.figures import SECTIONS, compute_figures
from queries.periods import Period
from queries.scope import Scope
from ui.context import PageContext


@st.cache_data(ttl=600, max_entries=256, show_spinner=False)
def _figures(_warehouse, location: str, version: int, period: Period, scope: Scope,
             comparison: Period | None = None, sections: tuple[str, ...] = SECTIONS) -> dict:
    # through the query cache: a page's figures for a period and for its comparison period
    # (Overview, Activity) share the comparison period's queries
    def query(warehouse, name: str, *, period: Period, scope: Scope, **extra) -> pd.DataFrame:
        return _query(warehouse, location, version, name, period, scope, tuple(sorted(extra.items())))

    return compute_figures(_warehouse, period, scope, comparison=comparison, query=query, sections=sections,
                           thread_setup=_with_context(get_script_run_ctx()))


def _with_context(context):
    """What a worker thread of this session's run does first: take the run's Streamlit context,
    so the cached queries it calls are this session's, as they are on the page's own thread."""
    def setup():
        if context is not None:
            add_script_run_ctx(threading.current_thread(), context)
    return setup


@st.cache_data(ttl=600, max_entries=512, show_spinner=False)
def _query(_warehouse, location: str, version: int, name: str, period: Period, scope: Scope,
           extra: tuple) -> pd.DataFrame:
    return run_query(_warehouse, name, period=period, scope=scope, **dict(extra))


def figures(context: PageContext, period: Period | None = None, sections: tuple[str, ...] = SECTIONS) -> dict:
    """The figures of `period` (default: the chosen one, against the chosen comparison): the
    `sections` a page shows (compute_figures; a page's cold run then runs only its own queries)."""
    comparison = context.comparison if period is None or period == context.period else None
    return _figures(context.warehouse, context.warehouse.location, context.data_version,
                    period or context.period, context.scope, comparison, tuple(sections))


def query(context: PageContext, name: str, period: Period | None = None, **extra) -> pd.DataFrame:
    """A named query over the page's scope and `period` (default: the chosen period), with
    municipalities as they read in the page's language (Åbo in Swedish, the unknown code
    as "tuntematon kunta")."""
    frame = _query(context.warehouse, context.warehouse.location, context.data_version, name,
                   period or context.period, context.scope, tuple(sorted(extra.items())))
    if "municipality" in frame.columns:
        frame = frame.assign(municipality=[municipality_label(m, context.lang) if isinstance(m, str) else m
                                           for m in frame["municipality"]])
    return frame
