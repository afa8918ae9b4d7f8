"""Copy the front-end files the pages use from node_modules into static/vendor (no CDN at run time)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    # ManifestStaticFilesStorage follows sourceMappingURL comments: the maps must be there too.
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
}


class Command(BaseCommand):
    help = "从 node_modules 复制前端文件到 static/vendor（内网部署，不依赖 CDN）"

    def handle(self, *args: object, **options: object) -> None:
        source = Path(settings.BASE_DIR) / "node_modules"
        target = Path(settings.BASE_DIR) / "safetynet" / "static" / "vendor"
        missing = [name for name in FILES if not (source / name).exists()]
        if missing:
            raise CommandError(f"node_modules 中缺少 {', '.join(missing)}；请先运行 npm ci")
        for name, destination in FILES.items():
            path = target / destination
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, path)
        self.stdout.write(f"已复制 {len(FILES)} 个前端文件到 {target}")
