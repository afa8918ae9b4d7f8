"""Feed pages: import history with the upload form, one import's page (progress, counts, report),
the template and report downloads. Report downloads hold personal data and are audited."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.permissions import Capability, has_capability
from safetynet.audit.models import AuditEvent
from safetynet.audit.services import audit_record
from safetynet.core.spreadsheets import XLSX
from safetynet.feeds.access import access_feed_import, feed_imports_visible_to, may_import, sources_for
from safetynet.feeds.forms import UploadForm
from safetynet.feeds.services import feed_import_start
from safetynet.feeds.spec import source_spec
from safetynet.feeds.workbooks import feed_template_xlsx
from safetynet.jobs.services import JobError, job_rerun


def _require_importer(request: HttpRequest) -> None:
    if not has_capability(request.user, Capability.IMPORT_FEEDS):
        raise PermissionDenied


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    sources = sources_for(request.user)
    imports = feed_imports_visible_to(request.user).select_related("uploaded_by")
    if request.GET.get("source") in {s.source for s in sources}:
        imports = imports.filter(source=request.GET["source"])
    page = Paginator(imports, settings.SAFETYNET_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feeds/import_list.html",
                  {"page": page, "sources": sources, "form": UploadForm(sources=sources)})


@login_required
@require_POST
def import_create(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    sources = sources_for(request.user)
    form = UploadForm(request.POST, request.FILES, sources=sources)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            feed_import = feed_import_start(source=form.cleaned_data["source"], file_name=upload.name,
                                            data=upload.read(), by=request.user)
        except JobError as error:
            form.add_error("file", str(error))
        else:
            return redirect("feeds:import_detail", import_pk=feed_import.pk)
    page = Paginator(feed_imports_visible_to(request.user), settings.SAFETYNET_PAGE_SIZE).get_page(1)
    return render(request, "feeds/import_list.html", {"page": page, "sources": sources, "form": form}, status=422)


@login_required
@require_GET
def import_detail(request: HttpRequest, import_pk: int) -> HttpResponse:
    feed_import = access_feed_import(request.user, import_pk)
    return render(request, "feeds/import_detail.html", {
        "feed_import": feed_import, "job": feed_import.job,
        "may_rerun": may_import(request.user, feed_import.source) and feed_import.job is not None
        and feed_import.job.status in ("failed", "interrupted"),
    })


@login_required
@require_GET
def import_progress(request: HttpRequest, import_pk: int) -> HttpResponse:
    feed_import = access_feed_import(request.user, import_pk)
    if feed_import.job is None:
        raise Http404
    response = render(request, "jobs/_progress.html", {
        "job": feed_import.job, "progress_url": request.path})
    if feed_import.job.finished:
        response["HX-Refresh"] = "true"  # the page shows the counts and the report link
    return response


@login_required
@require_POST
def import_rerun(request: HttpRequest, import_pk: int) -> HttpResponse:
    feed_import = access_feed_import(request.user, import_pk)
    if not may_import(request.user, feed_import.source) or feed_import.job is None:
        raise PermissionDenied
    try:
        job_rerun(feed_import.job, by=request.user)
    except JobError:
        pass  # already queued or done: the page shows where it stands
    return redirect("feeds:import_detail", import_pk=feed_import.pk)


@login_required
@require_GET
def import_report(request: HttpRequest, import_pk: int) -> FileResponse:
    feed_import = access_feed_import(request.user, import_pk)
    path = Path(settings.MEDIA_ROOT, feed_import.report_file)
    if not feed_import.report_file or not path.exists():
        raise Http404("该导入没有问题报告")
    audit_record(by=request.user, action=AuditEvent.Action.EXPORT, object_type="feed_import",
                 object_id=feed_import.pk, object_label=f"下载部门数据问题报告 {feed_import.file_name}",
                 detail={"source": feed_import.source})
    return FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX,
                        filename=f"问题报告_{feed_import.pk}_{Path(feed_import.file_name).stem}.xlsx")


@login_required
@require_GET
def template_download(request: HttpRequest, source: str) -> HttpResponse:
    if source not in {s.source for s in sources_for(request.user)}:
        raise Http404
    spec = source_spec(source)
    disposition = content_disposition_header(True, f"{spec.label}_导入模板.xlsx")
    return HttpResponse(feed_template_xlsx(spec), content_type=XLSX, headers={"Content-Disposition": disposition})
