"""Send data: templates, drag-and-drop upload, the check, a preview, confirm; a connected Google
Sheet; history and rollback."""

import streamlit as st

from ui import upload_views as views
from ui.context import UPLOAD_ROLES, page_context, require_role
from ui.sheet_views import render_sheet

ctx = page_context()
require_role(ctx, UPLOAD_ROLES)

views.render_templates(ctx)
views.render_contract(ctx)
st.divider()
org_code = views.render_org_picker(ctx)
files = st.file_uploader(ctx.t("upload.files"), accept_multiple_files=True, key="upload_files",
                         help=ctx.t("upload.files_help"))
st.caption(ctx.t("upload.limit", limit_mb=f"{ctx.settings.upload_limit_mb:g}"))
views.render_files(ctx, files or [], org_code)
st.divider()
render_sheet(ctx, org_code)
st.divider()
views.render_history(ctx, org_code)
