"""What ``init`` writes for CI and editors, pinned to the statuspress that ran it.

The CI files are the statuspress repository's own (``.github/workflows/status.yml`` and
``.gitlab-ci.yml``), which run the action (``uses: ./``) and install the checkout
(``STATUSPRESS_INSTALL: '.'``) on the demo content. A site repository gets the same files with
those two places pinned: ``uses: OWNER/statuspress@vX.Y.Z`` (the action installs statuspress
from its own checkout at that tag) and ``STATUSPRESS_INSTALL: statuspress==X.Y.Z`` (the release
on the package index), or whatever ``init --install`` names, in both.
"""

from __future__ import annotations

import json
import re
from importlib import metadata

from .. import __version__
from ..errors import UsageError

# Where the action lives when the installed metadata names no repository (a bare source tree).
FALLBACK_REPOSITORY = "https://github.com/statuspress/statuspress"
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_REF = re.compile(r"[A-Za-z0-9._/-]{1,200}")
_USES_HERE = re.compile(r"^(?P<lead>[ \t]*(?:#[ \t]*)?(?:- )?uses: )\./[ \t]*$", re.M)
_WITH = re.compile(r"^(?P<lead>[ \t]*(?:#[ \t]*)?)with:[ \t]*$")
# Steps the statuspress repository runs and a new site gets commented out (notify: a new site
# has no channels yet), between `# >>> NAME` and `# <<< NAME` lines.
_BLOCK = re.compile(
    r"^[ \t]*# >>> (?P<name>[a-z-]+)[ \t]*\n(?P<body>.*?)^[ \t]*# <<< (?P=name)[ \t]*\n",
    re.M | re.S,
)
_INSTALL_VAR = re.compile(r"^(?P<lead>[ \t]*STATUSPRESS_INSTALL: ).*$", re.M)


def repository_url() -> str:
    """The project's repository: ``[project.urls] Repository`` in the installed metadata."""
    try:
        urls = metadata.metadata("statuspress").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return url.strip()
    return FALLBACK_REPOSITORY


def default_action_repo() -> str:
    """``OWNER/NAME`` of the action: the repository URL without its scheme and host."""
    path = re.sub(r"^[a-z]+://[^/]+/", "", repository_url().rstrip("/"))
    return path.removesuffix(".git")


def action_ref(action_repo: str | None) -> str:
    """``OWNER/NAME@REF`` for ``uses:``; REF defaults to this version's tag."""
    spec = action_repo or default_action_repo()
    repo, _, ref = spec.partition("@")
    if not _REPO.fullmatch(repo) or (ref and not _REF.fullmatch(ref)):
        raise UsageError(f"--action-repo '{spec}' is not OWNER/NAME or OWNER/NAME@REF")
    return f"{repo}@{ref or 'v' + __version__}"


def install_spec(install: str | None) -> str:
    """The pip requirement site CI installs: ``--install`` or this release from the index."""
    spec = (install or f"statuspress=={__version__}").strip()
    if not spec or any(ch in spec for ch in "\n\r\t\x00'\"$`\\"):
        raise UsageError(f"--install '{spec}' is not a pip requirement, URL or path")
    return spec


def comment_out_blocks(text: str) -> str:
    """Comment out each marked block, keeping its indentation so it can be uncommented."""

    def commented(match: re.Match[str]) -> str:
        lines = match["body"].splitlines(keepends=True)
        indent = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
        return "".join(
            line[:indent] + "# " + line[indent:] if line.strip() else line for line in lines
        )

    return _BLOCK.sub(commented, text)


def github_workflow(text: str, action: str, install: str | None) -> str:
    """Point every ``uses: ./`` at ``action``; with ``install``, pass it to each of them."""
    text = comment_out_blocks(text)
    if not _USES_HERE.search(text):
        raise UsageError("the shipped GitHub workflow has no `uses: ./` step to pin")
    out: list[str] = []
    pinned = False  # a pinned `uses:` awaits its `with:` (commented-out steps included)
    for line in text.splitlines(keepends=True):
        uses = _USES_HERE.match(line.rstrip("\n"))
        if uses:
            out.append(uses["lead"] + action + "\n")
            pinned = True
            continue
        out.append(line)
        with_ = _WITH.match(line.rstrip("\n"))
        if pinned and with_:
            if install is not None:
                out.append(f"{with_['lead']}  install: {_yaml(install)}\n")
            pinned = False
    return "".join(out)


def gitlab_ci(text: str, install: str) -> str:
    """Set ``STATUSPRESS_INSTALL`` (the one place the GitLab file names what it installs)."""
    text = comment_out_blocks(text)
    if not _INSTALL_VAR.search(text):
        raise UsageError("the shipped .gitlab-ci.yml has no STATUSPRESS_INSTALL variable to pin")
    return _INSTALL_VAR.sub(lambda m: m["lead"] + _yaml(install), text, count=1)


def pin_install(text: str, install: str) -> str:
    """Set ``STATUSPRESS_INSTALL`` where a shipped file defines it (the alert intake files)."""
    return _INSTALL_VAR.sub(lambda m: m["lead"] + _yaml(install), text, count=1)


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# VS Code: the YAML extension validates the two catalogs against the shipped schemas; front
# matter (incidents, known errors, runbooks) is checked by `statuspress check`, run as a task
# whose problem matcher turns `path:line: [warning: ]field: message` into Problems.
CHECK_LINE = r"^([^\s:]+)(?::(\d+))?: (?:(warning): )?(.*)$"


def editor_files() -> dict[str, str]:
    settings = {
        "yaml.schemas": {
            "./schemas/site.schema.json": ["content/site.yaml"],
            "./schemas/services.schema.json": ["content/services.yaml"],
        },
        "files.associations": {"content/**/*.md": "markdown"},
    }
    tasks = {
        "version": "2.0.0",
        "tasks": [
            {
                "label": "statuspress check",
                "detail": "Check every content file and reference; problems go to the "
                "Problems view",
                "type": "shell",
                "command": "statuspress check --format text",
                "group": {"kind": "build", "isDefault": True},
                "presentation": {"reveal": "silent", "clear": True},
                "problemMatcher": {
                    "owner": "statuspress",
                    "source": "statuspress",
                    "fileLocation": ["relative", "${workspaceFolder}"],
                    "severity": "error",
                    "pattern": {
                        "regexp": CHECK_LINE,
                        "file": 1,
                        "line": 2,
                        "severity": 3,
                        "message": 4,
                    },
                },
            }
        ],
    }
    extensions = {"recommendations": ["redhat.vscode-yaml"]}
    return {
        ".vscode/settings.json": json.dumps(settings, indent=2) + "\n",
        ".vscode/tasks.json": json.dumps(tasks, indent=2) + "\n",
        ".vscode/extensions.json": json.dumps(extensions, indent=2) + "\n",
    }
