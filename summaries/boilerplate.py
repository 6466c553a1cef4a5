"""Bylines and timestamps: what a page prints around a story, never a sentence of it.

`drop_boilerplate` removes them from an article's text before it is split into sentences:

- the byline and times at the head, flattened as in the CNN/Daily Mail files
  (`By . Alex Ward . PUBLISHED: . 13:12 EST, 12 October 2012 . | . UPDATED: . ... . <story>`,
  `By . Ian Drury . Last updated at 7:26 PM on 6th October 2011 . <story>`) or pasted as lines
  (`By Jane Doe | Published: 10:02, 12 October 2012`, `By JANE DOE, Associated Press`,
  `BY JANE DOE`, `By The Associated Press`);
- a line that is only a byline or a time stamp (`Updated 2:13 PM ET, Mon March 2, 2015`, CNN's
  `Updated 1508 GMT (2308 HKT) March 2, 2015`), anywhere: pages put the byline below a
  standfirst or a subheading too;
- an editor's note in brackets that only says when (`[Breaking news update, posted 9:04 p.m. ET]`).

Datelines stay with their sentence (`LONDON (Reuters) - ...`, `(CNN) -- ...`), and so does
prose that merely starts with "By" or says "published": a byline is a name, a time stamp is a
label and a time, each standing alone (a line of its own, or cut off by " . " or "|").
"""

import re

# Where one byline or time part ends: the end of the line, a "|", or the " . " the source
# pipeline puts after a line that had no final stop (a story's own stop has no space before).
_END = r"(?=[ \t]*(?:\r?\n|\||$)|[ \t]+\.(?:\s|$))"
_SEPARATOR = re.compile(r"(?:[ \t]*(?:\||\.(?=\s|$))[ \t]*|[ \t]+)*")
_LABEL = r"(?:published|updated|last[ \t]+updated|last[ \t]+modified|first[ \t]+published|posted)"
# A name may also run into a time stamp, as CNN prints them: "By Jane Doe, CNN Updated 2:13 PM ET".
_NAME_END = _END[:-1] + r"|[ \t]+(?=(?:Published|Updated|PUBLISHED|UPDATED)\b))"
_BYLINE = re.compile(r"B[yY](?:[ \t]+\.)?[ \t]+(?P<name>[^\n|]+?)" + _NAME_END)
_AND = re.compile(r"(?:and|with)[ \t]+(?P<name>[^\n|]+?)" + _NAME_END)
_ENDED = re.compile(_END)
_FOLLOW = re.compile(r"Follow[ \t]+@\w+" + _END)
_STAMP = re.compile(
    _LABEL + r"(?:[ \t]*:)?(?:[ \t]+\.)?(?:[ \t]+(?:at|on))?[ \t]+(?P<when>[^\n|]+?)" + _END,
    re.IGNORECASE,
)
_NOTE = re.compile(
    r"\[(?:[A-Z][^][\n]{0,40}?,[ \t]*)?"
    + _LABEL
    + r"(?:[ \t]+(?:at|on))?[ \t]+(?P<when>[^][\n]+)\](?:[ \t]+\.(?=\s|$))?[ \t]*",
    re.IGNORECASE,
)

_MONTHS = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december"
)
_DAYS = "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
_DAYS += "saturday sunday"
_ZONES = "et est edt ct cst cdt mt mst mdt pt pst pdt gmt bst utc cet cest ist aest aedt hkt jst"
_DATE_WORDS = frozenset(f"{_MONTHS} {_DAYS} {_ZONES} am pm a.m p.m on at of".split())
_NUMBER = re.compile(r"\d{1,4}(?:[:.]\d{2})*(?:st|nd|rd|th|am|pm)?|\d{1,4}([-/])\d{1,2}\1\d{1,4}")
# Words a "By ..." standing alone starts with when it is not a name: "By Tuesday", "By then".
_NOT_NAMES = frozenset(
    f"{_MONTHS} {_DAYS} then now far contrast comparison law night day noon midnight dawn "
    "dusk christmas easter today tonight tomorrow yesterday next last early late mid all any no "
    "some this that these those which its his her their our my your land sea air road rail".split()
)
_CONNECTOR_WORDS = "and for of de da del della der den van von la le du al el bin y &"
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*|@\w+")
_MAX_NAME_WORDS = 10
# A headline above the byline: one line, no final stop. The byline is looked for below it too.
_HEADLINE = re.compile(r".*[^.!?:;\"'’”)]")
_HEAD_LINES = 2


def drop_boilerplate(text: str) -> str:
    """`text` without its bylines and time stamps; as given if nothing else would be left."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    head, story_lines = True, 0  # bylines are looked for only above the story's first lines
    for line in lines:
        if not line.strip():
            kept.append(line)
            continue
        start = len(line) - len(line.lstrip())
        end, _ = _parts_end(line, start, byline=True)
        if not line[end:].strip() and end > start:
            continue  # the whole line is byline or time, wherever it stands (below a standfirst)
        if not head:
            end = start  # lower down, only a line of its own: "By Jane Doe said" is no byline
        story = line[:start] + line[end:]  # at the head, a flattened byline runs on
        kept.append(_NOTE.sub(_keep_unless_time, story))
        story_lines += 1
        head = story_lines < _HEAD_LINES and _HEADLINE.fullmatch(story.strip()) is not None
    result = "".join(kept)
    return result if result.strip() else text


def _parts_end(line: str, pos: int, *, byline: bool) -> tuple[int, bool]:
    """Where the byline and time parts from `pos` end (`pos` if none), and if all were times."""
    end, only_stamps, after_name = pos, True, False
    before_name = None  # set while a name that ran into a label waits for its time stamp
    while True:
        match = _STAMP.match(line, pos)
        if match and _is_time(match["when"]):
            after_name, before_name = False, None
        else:
            if before_name is not None:  # "By Jane Doe Updated the list": no byline after all
                return before_name
            match = _name_part(line, pos, after_name) if byline else None
            if match is None:
                return end, only_stamps
            if not _ENDED.match(line, match.end()):
                before_name = (end, only_stamps)
            only_stamps, after_name = False, True
        pos = end = _SEPARATOR.match(line, match.end()).end()  # type: ignore[union-attr]


def _name_part(line: str, pos: int, after_name: bool) -> re.Match[str] | None:
    """A "By NAME", or after one an "and NAME" or "Follow @handle", at `pos`."""
    match = _BYLINE.match(line, pos)
    if match is None and after_name:
        match = _AND.match(line, pos) or _FOLLOW.match(line, pos)
    if match is None:
        return None
    if "name" in match.groupdict() and not _is_name(match["name"]):
        return None
    return match


def _is_name(name: str) -> bool:
    """Whether `name` reads as bylines do: capitalized names, a role or outlet after a comma."""
    words = name.replace(",", " ").split()
    if not words or len(words) > _MAX_NAME_WORDS or words[0].lower() in _CONNECTORS:
        return False
    if words[0].lower().strip(".") in _NOT_NAMES:
        return False
    return all(_NAME_WORD.fullmatch(w) or w.lower() in _CONNECTORS for w in words)


def _is_time(when: str) -> bool:
    """Whether `when` is only a date and time (`13:12 EST, 12 October 2012`)."""
    # CNN gives the time twice, the second in brackets: "1508 GMT (2308 HKT) March 2, 2015".
    words = [w.strip(".()") for w in re.split(r"[\s,]+", when.strip()) if w.strip(".()")]
    has_number = any(_NUMBER.fullmatch(w) for w in words)
    return has_number and all(_NUMBER.fullmatch(w) or w.lower() in _DATE_WORDS for w in words)


def _keep_unless_time(note: re.Match[str]) -> str:
    """An editor's bracketed note goes when it only says when: `[Updated 9:04 p.m. ET]`."""
    return "" if _is_time(note["when"]) else note[0]
