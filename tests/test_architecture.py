"""The shape of the code (docs/architecture.md): lower layers never import
higher ones, the doors (admin, API, reader views) never import each other,
no module imports itself in a circle, and the server imports no tooling."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module belongs to the first entry its name starts with.
LAYERS = [
    (
        "foundations",
        [
            "claims.vocabularies",
            "claims.links",
            "claims.urls_normalise",
            "claims.batching",
            "claims.client_address",
            "claims.rate_limit",
            "claims.slugs",
            "claims.roles",
            "claims.prepared",
        ],
    ),
    ("models", ["claims.models"]),
    (
        "derived data",
        [
            "claims.old_parents",
            "claims.deletions",
            "claims.status",
            "claims.search",
            "claims.caching",
            "claims.bulk",
            "claims.changes",
        ],
    ),
    (
        "rules and capabilities",
        [
            "claims.services",
            "claims.edit_conflicts",
            "claims.claimreview",
            "claims.capture",
            "claims.claimsets",
            "claims.duplicates",
            "claims.accounts",
            "claims.filters",
            "claims.demo",
            "claims.webhooks",
        ],
    ),
    (
        "doors",
        [
            "claims.admin",
            "claims.admin_site",
            "claims.api",
            "claims.views",
            "claims.feeds",
            "claims.sitemaps",
            "claims.templatetags",
            "claims.context_processors",
            "claims.management",
        ],
    ),
    ("wiring", ["claims.urls", "claims.apps", "claims"]),
]
DOORS = ["claims.admin", "claims.api", "claims.views"]
TOOLING_ENTRY_POINTS = {"claims.management.commands.generate_data"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path):
    """Names of the project modules `path` imports (`from claims import x` is claims.x)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    modules = {module_name(p) for p in ROOT.glob("claims/**/*.py")}
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            submodules = {f"{module}.{alias.name}" for alias in node.names} & modules
            found |= submodules or {module}
    return {m for m in found if m in modules or m.startswith("bench")}


def layer_of(name):
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{name} has no layer in tests/test_architecture.py")


def project_modules():
    return {
        module_name(path): imports(path)
        for path in sorted(ROOT.glob("claims/**/*.py"))
        if "migrations" not in path.parts
    }


def test_lower_layers_never_import_higher_ones():
    wrong = [
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in project_modules().items()
        for target in targets
        if not target.startswith("bench") and layer_of(target) > layer_of(name)
    ]
    assert wrong == []


def test_models_import_only_foundations():
    targets = project_modules()["claims.models"]
    assert {t for t in targets if layer_of(t) != 0} == set()


def test_doors_do_not_import_each_other():
    def door(name):
        return next((d for d in DOORS if name == d or name.startswith(d + ".")), None)

    wrong = [
        f"{name} imports {target}"
        for name, targets in project_modules().items()
        for target in targets
        if door(name) and door(target) and door(name) != door(target)
    ]
    assert wrong == []


def test_no_import_circle():
    graph = {name: {t for t in targets if t != name} for name, targets in project_modules().items()}
    # A package's __init__ re-exporting its own modules is not a circle.
    graph = {
        n: {t for t in ts if not n.startswith(t + ".") and not t.startswith(n + ".")}
        for n, ts in graph.items()
    }
    state, circles = {}, []

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            if state.get(target) == "open":
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_the_server_imports_no_tooling():
    wrong = [
        f"{name} imports {target}"
        for name, targets in project_modules().items()
        for target in targets
        if target.startswith("bench") and name not in TOOLING_ENTRY_POINTS
    ]
    assert wrong == []
