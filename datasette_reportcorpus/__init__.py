"""Datasette plugin for news report corpora: hook implementations only.

Each hook is a few lines that call into the module doing the work.
"""

from datasette import hookimpl


@hookimpl
def register_routes(datasette):
    from .routes import routes

    return routes()


@hookimpl(trylast=True, optionalhook=True)  # 0.65 hook (not on 1.0); the last answer wins
def permission_allowed(datasette, actor, action, resource):
    from .permissions import permission_allowed as allowed

    return allowed(datasette, actor, action, resource)


@hookimpl(optionalhook=True)  # Datasette 1.0 hook; 0.65 has no such hook
def permission_resources_sql(datasette, actor, action):
    from .permissions import permission_resources_sql as rules

    return rules(datasette, actor, action)


@hookimpl
def asgi_wrapper(datasette):
    from .permissions import guard_labels, request_scope

    guard_labels(datasette)
    return request_scope


@hookimpl
def register_facet_classes():
    from .facets.classes import FACET_CLASSES

    return FACET_CLASSES


@hookimpl
def filters_from_request(request, database, table, datasette):
    from .facets.filters import filter_arguments

    async def inner():
        return await filter_arguments(request, database, table, datasette)

    return inner


@hookimpl
def extra_js_urls(template, database, view_name, request, datasette):
    from .search.highlight import table_search_scripts

    return table_search_scripts(datasette, view_name, request, database)


@hookimpl
def extra_css_urls(template, database, view_name, request, datasette):
    from .search.highlight import table_search_styles

    return table_search_styles(datasette, view_name, request, database)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    from .compare.view import article_title_cell

    return article_title_cell(value, column, table, database, row, datasette)


@hookimpl(optionalhook=True)  # Datasette 1.0 hook; 0.65 has no such hook
def row_actions(datasette, database, table, row):
    from .compare.view import article_row_actions

    return article_row_actions(datasette, database, table, row)


@hookimpl
def prepare_connection(conn, database, datasette):
    from .connection import tune

    tune(conn, database, datasette)


@hookimpl
def menu_links(datasette, actor):
    from .views.nav import menu_links as links

    return links(datasette, actor)


@hookimpl
def database_actions(datasette, actor, database):
    from .views.nav import database_actions as actions

    return actions(datasette, actor, database)


@hookimpl
def table_actions(datasette, actor, database, table, request):
    from .views.nav import table_actions as actions

    return actions(datasette, actor, database, table, request)


@hookimpl(optionalhook=True)  # Datasette 1.0 hook; 0.65 has no such hook
def top_homepage(datasette, request):
    from .views.front import homepage_box

    return homepage_box(datasette, request)


@hookimpl(optionalhook=True)  # Datasette 1.0 hook; 0.65 has no such hook
def top_database(datasette, request, database):
    from .views.front import database_box

    return database_box(datasette, request, database)


@hookimpl
def extra_template_vars(template, database, request, datasette):
    from .views.front import template_vars

    return template_vars(datasette, template, database, request)


def _drop_unknown_hooks() -> None:
    """Leave out the hooks this Datasette has no specification for (0.65 lacks the 1.0
    ones, 1.0 dropped ``permission_allowed``): pluggy would otherwise list them among
    Datasette's own hooks."""
    from datasette import hookspecs

    for name in ("permission_allowed", "permission_resources_sql", "row_actions",
                 "top_homepage", "top_database"):
        if not hasattr(hookspecs, name):
            globals().pop(name, None)


_drop_unknown_hooks()
