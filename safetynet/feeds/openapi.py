"""The feeds endpoints in /api/v1/openapi.json."""

from __future__ import annotations

from safetynet.feeds.models import FeedImport, Source
from safetynet.registry.openapi import openapi_register, ref, response_ref

IMPORT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "source": {"type": "string", "enum": Source.values},
        "file_name": {"type": "string"}, "sha256": {"type": "string"},
        "status": {"type": "string", "enum": FeedImport.Status.values},
        "status_label": {"type": "string", "description": "状态的中文名称"},
        "rows": {"type": "object", "properties": {k: {"type": "integer"} for k in (
            "total", "added", "duplicate", "unmatched", "invalid")}},
        "error": {"type": "string"},
        "url": {"type": "string", "description": "本接口查询导入状态的地址"},
        "page": {"type": "string", "description": "平台上的导入记录页面"},
        "report": {"type": ["string", "null"], "description": "问题报告（Excel）的下载地址；没有问题时为 null"},
    },
}

PATHS = {
    "/feeds/{source}": {"post": {
        "summary": "上传部门数据文件（与页面上传相同：全部正确才导入，同一文件重复上传不重复导入）",
        "parameters": [
            {"name": "source", "in": "path", "required": True, "schema": {"type": "string", "enum": Source.values}},
            {"name": "name", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "文件名（留痕用）"}],
        "requestBody": {"required": True, "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"},
                         "example": "身份证号,姓名,数据类型,结算日期,个人自付金额（元）,参保状态\n"},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}}}},
        "responses": {"202": {"description": "已接收，后台导入中", "content": {
            "application/json": {"schema": ref("FeedImport")}}},
            "400": {"description": "文件为空或不是可导入的文件（message 说明原因）"},
            "401": response_ref(401), "403": {"description": "您的部门不能导入该数据来源"},
            "404": {"description": "没有该数据来源"}, "413": {"description": "文件超过 200 MB"}},
    }},
    "/feeds/imports/{id}": {"get": {
        "summary": "查询一次导入的状态和行数",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "导入记录", "content": {
            "application/json": {"schema": ref("FeedImport")}}},
            "401": response_ref(401), "404": {"description": "未找到该导入记录，或您无权查看（两者答复相同）"}},
    }},
}

openapi_register(paths=PATHS, schemas={"FeedImport": IMPORT})
