"""The libraries the platform is built on, shown on 关于本平台 and named in the README."""

COMPONENTS = [
    ("Django 5.2 LTS", "Web 框架"),
    ("SQLite（WAL）/ PostgreSQL 15", "数据库：内嵌默认 / 生产"),
    ("psycopg 3", "PostgreSQL 驱动"),
    ("htmx 2、Bootstrap 5.3", "页面交互与样式（随项目安装，不依赖外网）"),
    ("whitenoise", "静态文件"),
    ("granian", "应用服务器"),
    ("pypinyin", "姓名拼音检索"),
    ("PyYAML", "户数据文档与参数文件"),
    ("polars", "批量筛查引擎"),
]
