"""The demo's import chapter: preview, confirm, then a changed file and its synchronisation."""

from __future__ import annotations

from collections.abc import Callable

from examkit import Examkit
from examkit.imports import ImportDiff, ImportPlace
from examkit.messages import Lang, text


def changed_file(good: bytes) -> bytes:
    """Return *good* a while later: Jesse moved to 4A, Elif left, Daan arrived."""
    moved = good.replace(
        b'<jaargroep>5</jaargroep>\n      <groep key="G5B"/>',
        b'<jaargroep>4</jaargroep>\n      <groep key="G4A"/>',
        1,
    )
    start = moved.index(b'    <leerling key="L004">')
    end = moved.index(b"</leerling>\n", start) + len(b"</leerling>\n")
    arrived = (
        b'    <leerling key="L005">\n'
        b"      <achternaam>Visser</achternaam>\n"
        b"      <roepnaam>Daan</roepnaam>\n"
        b"      <geboortedatum>2017-01-12</geboortedatum>\n"
        b"      <geslacht>1</geslacht>\n"
        b"      <jaargroep>5</jaargroep>\n"
        b'      <groep key="G5B"/>\n'
        b'      <vestiging key="TZ"/>\n'
        b"    </leerling>\n"
    )
    return moved[:start] + arrived + moved[end:]


def _show_diff(diff: ImportDiff, lang: Lang, say: Callable[..., None]) -> None:
    for kind, part in diff.parts().items():
        say(
            "demo.import.changes",
            kind=text(f"demo.import.kind.{kind}", lang),
            added=len(part.added),
            changed=len(part.changed),
            gone=len(part.gone),
        )
        for change in part.changed:
            for field in change.fields:
                say(
                    "demo.import.field",
                    key=change.key,
                    attribute=field.field,
                    before=field.before or "-",
                    after=field.after or "-",
                )


def run_import_chapter(
    kit: Examkit, actor: str, good: bytes, lang: Lang, say: Callable[..., None]
) -> None:
    """Import the demo school's file as *actor* (an account id), confirm it, then a changed file."""
    preview = kit.edexml_imports.preview(actor, good)
    say(
        "demo.import.preview",
        location=str(preview.location),
        school_year=str(preview.school_year),
        pupils=preview.counts.pupils,
        groups=preview.counts.groups,
        minutes=int((preview.expires_at - kit.clock.now()).total_seconds() // 60),
    )
    _show_diff(preview.diff, lang, say)
    kit.edexml_imports.confirm(actor, preview)
    say("demo.import.confirmed")
    _show_classes(kit, preview.location, say)

    later = kit.edexml_imports.preview(actor, changed_file(good))
    say("demo.import.again", location=str(later.location))
    _show_diff(later.diff, lang, say)
    result = kit.edexml_imports.confirm(actor, later)
    say("demo.import.confirmed")
    _show_classes(kit, result.location, say)
    archived = kit.rosters.pupils(result.location, archived=True).items
    say("demo.import.archived", pupils=", ".join(p.pupil.name.full_name for p in archived))


def _show_classes(kit: Examkit, location: ImportPlace, say: Callable[..., None]) -> None:
    quantities = kit.rosters.quantities(location)
    for group in kit.rosters.classes(location).groups:
        names = [
            item.pupil.name.full_name
            for item in kit.rosters.pupils(location, group=group.key).items
        ]
        say(
            "demo.import.class",
            name=group.name,
            count=quantities.get(group.key, 0),
            pupils=", ".join(names) or "-",
        )
