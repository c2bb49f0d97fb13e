"""``heedful transcript analyze FILE``: the same call, written in every format the command
reads, gives the figures worked out by hand (tests/conversations/test_figures.py); the JSON
is the contract's object and nothing else; bad files and options are one line on stderr,
exit 2; and it runs with no database at all."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from heedful.cli import main
from tests.conversations.test_figures import CALL, CALL_FIGURES

HEEDFUL = Path(sys.executable).parent / "heedful"
UNREACHABLE_DATABASE = "postgresql://nobody@127.0.0.1:1/x"


def clock(seconds: float, separator: str = ".") -> str:
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}".replace(".", separator)


def as_webvtt() -> str:
    blocks = [
        f"{clock(cue.start)} --> {clock(cue.end)}\n<v {cue.speaker}>{cue.text}"  # type: ignore[arg-type]
        for cue in CALL
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def as_subrip() -> str:
    blocks = [
        f"{number}\n{clock(cue.start, ',')} --> {clock(cue.end, ',')}\n"  # type: ignore[arg-type]
        f"{cue.speaker}: {cue.text}"
        for number, cue in enumerate(CALL, start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def as_json() -> str:
    return json.dumps([
        {"speaker": cue.speaker, "start": cue.start, "end": cue.end, "text": cue.text}
        for cue in CALL
    ])


def as_rttm() -> str:
    return "".join(
        f"SPEAKER call 1 {cue.start:.3f} {cue.end - cue.start:.3f} <NA> <NA> "  # type: ignore[operator]
        f"{cue.speaker} <NA> <NA>\n"
        for cue in CALL
    )


def as_plain_text_without_times() -> str:
    return "".join(f"{cue.speaker}: {cue.text}\n" for cue in CALL)


def analyzed(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    main(["transcript", "analyze", *args, "--json"])
    captured = capsys.readouterr()
    assert all(line.startswith("warning: ") for line in captured.err.splitlines())
    return json.loads(captured.out)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The one line on stderr of a command that exits 2, having printed nothing on stdout."""
    with pytest.raises(SystemExit) as exit_:
        main(["transcript", "analyze", *args])
    captured = capsys.readouterr()
    assert exit_.value.code == 2
    assert captured.out == ""
    assert "Traceback" not in captured.err and "CommandError" not in captured.err
    return captured.err.strip().splitlines()[-1]


@pytest.mark.parametrize(("name", "content"), [
    ("call.vtt", as_webvtt()),
    ("call.srt", as_subrip()),
    ("call.json", as_json()),
])
def test_a_call_in_a_timed_format_with_words_gives_every_figure_worked_out_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    # given
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    # when
    result = analyzed(capsys, str(path), "--internal", "ann", "Dan", "--internal", "Eve")
    # then: the whole object, keys in the contract's order (several names after --internal
    # and a repeated --internal mean the same)
    assert result == CALL_FIGURES
    assert list(result) == list(CALL_FIGURES)


def test_a_call_as_rttm_gives_the_time_figures_and_null_for_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.rttm"
    path.write_text(as_rttm(), encoding="utf-8")
    # when
    result = analyzed(capsys, str(path), "--internal", "Ann")
    # then
    for name in (
        "duration_seconds", "customer_talk_share", "interruptions", "longest_monologue",
        "longest_customer_story_seconds", "patience_seconds", "interactivity",
    ):
        assert result[name] == CALL_FIGURES[name], name
    assert result["action_items"] is None
    assert result["internal"]["questions"] is None
    assert [(s["name"], s["talk_seconds"], s["words"]) for s in result["speakers"]] == [
        ("Ann", 25.0, None), ("Bob", 32.5, None), ("Cara", 10.0, None),
    ]


def test_a_call_as_plain_text_without_times_gives_null_for_every_time_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.txt"
    path.write_text(as_plain_text_without_times(), encoding="utf-8")
    # when
    result = analyzed(capsys, str(path), "--internal", "Ann")
    # then
    assert result["duration_seconds"] is None
    assert result["patience_seconds"] is None
    assert result["longest_monologue"] == {"speaker": None, "seconds": None}
    assert [(s["name"], s["talk_share"], s["words"], s["questions"], s["statements"])
            for s in result["speakers"]] == [
        ("Ann", None, 18, 3, 4), ("Bob", None, 17, 1, 5), ("Cara", None, 5, 0, 1),
    ]
    assert result["internal"]["question_ratio"] == 0.75


def test_plain_text_with_times_gives_every_figure_worked_out_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: a cue of plain text lasts until the next one starts; the last lasts nothing
    # (Ann 0-30, Bob 30-60, Ann 60-60)
    path = tmp_path / "call.txt"
    path.write_text(
        "[00:00:00] Ann: Hello. Can you send the usage report by Friday?\n"
        "[00:00:30] Bob: Sure. I will send it.\n"
        "[00:01:00] Ann: Thanks.\n",
        encoding="utf-8",
    )
    # when
    result = analyzed(capsys, str(path), "--internal", "Ann", "--date", "2026-11-25")
    # then
    assert result == {
        "duration_seconds": 60.0,
        "speakers": [
            {
                "name": "Ann", "internal": True, "talk_seconds": 30.0, "talk_share": 0.5,
                "turns": 2,
                # Hello + 8 + Thanks; 10 words in half a minute
                "words": 10, "words_per_minute": 20.0,
                "questions": 1, "statements": 2, "question_ratio": 0.5,
                "longest_monologue_seconds": 30.0,
                "interruptions_made": 0, "interrupted": 0,
            },
            {
                "name": "Bob", "internal": False, "talk_seconds": 30.0, "talk_share": 0.5,
                "turns": 1, "words": 5, "words_per_minute": 10.0,
                "questions": 0, "statements": 2, "question_ratio": 0.0,
                "longest_monologue_seconds": 30.0,
                "interruptions_made": 0, "interrupted": 0,
            },
        ],
        # 1 question in 30 s: 2 a minute
        "internal": {"talk_share": 0.5, "questions": 1, "statements": 2,
                     "question_ratio": 0.5, "question_rate": 2.0},
        "customer": {"talk_share": 0.5, "questions": 0, "statements": 2,
                     "question_ratio": 0.0, "question_rate": 0.0},
        "customer_talk_share": 0.5,
        "interruptions": 0,
        # a tie at 30 s: the earlier turn
        "longest_monologue": {"speaker": "Ann", "seconds": 30.0},
        # Bob 30 to 60; Ann's zero-length cue after it does not end it
        "longest_customer_story_seconds": 30.0,
        # Bob's turn ends at 60, Ann's starts at 60
        "patience_seconds": 0.0,
        # 2 speaker changes in 1 minute
        "interactivity": 2.0,
        "action_items": [
            # Wednesday 25 November: Friday the 27th; asked of Bob, the customer who answers
            {"text": "Can you send the usage report by Friday?", "owner": "Bob",
             "due": "2026-11-27"},
            {"text": "I will send it.", "owner": "Bob", "due": None},
        ],
    }


def test_srt_cues_out_of_order_give_the_figures_worked_out_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: the last cue first; in time order Alice [1, 3], Bob [5.5, 7], Bob [10, 12]
    path = tmp_path / "call.srt"
    path.write_text(
        "1\n00:00:10,000 --> 00:00:12,000\nBob: And then the invoice.\n\n"
        "2\n00:00:01,000 --> 00:00:03,000\nAlice: First the agenda.\n\n"
        "3\n00:00:05,500 --> 00:00:07,000\nBob: Then the usage report?\n",
        encoding="utf-8",
    )
    # when
    result = analyzed(capsys, str(path), "--internal", "alice")
    # then
    assert result == {
        # 12 - 1
        "duration_seconds": 11.0,
        "speakers": [
            # 2 of 5.5 s talked; 3 words in 2 s: 90 a minute
            {"name": "Alice", "internal": True, "talk_seconds": 2.0, "talk_share": 0.364,
             "turns": 1, "words": 3, "words_per_minute": 90.0, "questions": 0,
             "statements": 1, "question_ratio": 0.0, "longest_monologue_seconds": 2.0,
             "interruptions_made": 0, "interrupted": 0},
            # one turn of two cues, 5.5 to 12; 8 words in 3.5 s: 137.142857... a minute
            {"name": "Bob", "internal": False, "talk_seconds": 3.5, "talk_share": 0.636,
             "turns": 1, "words": 8, "words_per_minute": 137.143, "questions": 1,
             "statements": 1, "question_ratio": 1.0, "longest_monologue_seconds": 6.5,
             "interruptions_made": 0, "interrupted": 0},
        ],
        "internal": {"talk_share": 0.364, "questions": 0, "statements": 1,
                     "question_ratio": 0.0, "question_rate": 0.0},
        # 1 question in 3.5 s: 17.142857... a minute
        "customer": {"talk_share": 0.636, "questions": 1, "statements": 1,
                     "question_ratio": 1.0, "question_rate": 17.143},
        "customer_talk_share": 0.636,
        "interruptions": 0,
        "longest_monologue": {"speaker": "Bob", "seconds": 6.5},
        "longest_customer_story_seconds": 6.5,
        # no customer turn is followed by an internal one
        "patience_seconds": None,
        # 1 change in 11 s: 5.4545... a minute
        "interactivity": 5.455,
        "action_items": [],
    }


def test_webvtt_with_unnamed_speakers_and_an_empty_cue_gives_the_figures_worked_out_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: "Speaker 1" (ours), "Speaker 2", a cue naming nobody that starts before Speaker
    # 2's ends, and an empty cue of Speaker 1's (7 to 9) in the turn 7 to 10
    path = tmp_path / "call.vtt"
    path.write_text(
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:03.000\nSpeaker 1: Hello, can everyone hear me?\n\n"
        "00:00:03.500 --> 00:00:05.000\nSpeaker 2: Yes, loud and clear.\n\n"
        "00:00:04.500 --> 00:00:07.000\nRight, let us begin.\n\n"
        "00:00:07.000 --> 00:00:09.000\n<v Speaker 1></v>\n\n"
        "00:00:09.000 --> 00:00:10.000\n<v Speaker 1>First item: the renewal.\n",
        encoding="utf-8",
    )
    # when
    result = analyzed(capsys, str(path), "--internal", "speaker 1")
    # then
    assert result == {
        # 10 - 1
        "duration_seconds": 9.0,
        "speakers": [
            # 2 + 2 (the empty cue) + 1 of 9 s; 5 + 4 words in 5 s: 108 a minute; turns of
            # 2 and 3 s
            {"name": "Speaker 1", "internal": True, "talk_seconds": 5.0, "talk_share": 0.556,
             "turns": 2, "words": 9, "words_per_minute": 108.0, "questions": 1,
             "statements": 1, "question_ratio": 1.0, "longest_monologue_seconds": 3.0,
             "interruptions_made": 0, "interrupted": 0},
            # 4 words in 1.5 s: 160 a minute; talked over by the unnamed cue at 4.5
            {"name": "Speaker 2", "internal": False, "talk_seconds": 1.5, "talk_share": 0.167,
             "turns": 1, "words": 4, "words_per_minute": 160.0, "questions": 0,
             "statements": 1, "question_ratio": 0.0, "longest_monologue_seconds": 1.5,
             "interruptions_made": 0, "interrupted": 1},
            # 2.5 of 9 s; 4 words in 2.5 s: 96 a minute
            {"name": "", "internal": False, "talk_seconds": 2.5, "talk_share": 0.278,
             "turns": 1, "words": 4, "words_per_minute": 96.0, "questions": 0,
             "statements": 1, "question_ratio": 0.0, "longest_monologue_seconds": 2.5,
             "interruptions_made": 1, "interrupted": 0},
        ],
        # 1 question in 5 s: 12 a minute
        "internal": {"talk_share": 0.556, "questions": 1, "statements": 1,
                     "question_ratio": 1.0, "question_rate": 12.0},
        # 4 of 9 s
        "customer": {"talk_share": 0.444, "questions": 0, "statements": 2,
                     "question_ratio": 0.0, "question_rate": 0.0},
        "customer_talk_share": 0.444,
        "interruptions": 1,
        "longest_monologue": {"speaker": "Speaker 1", "seconds": 3.0},
        # from 3.5 (Speaker 2) to 7 (the unnamed cue); Speaker 1's cues after it are 2 s and
        # 1 s long, under 3, and no customer cue follows them
        "longest_customer_story_seconds": 3.5,
        # the unnamed turn ends at 7, Speaker 1's starts at 7
        "patience_seconds": 0.0,
        # 4 turns, 3 changes in 9 s: 20 a minute
        "interactivity": 20.0,
        "action_items": [],
    }


def test_the_table_shows_each_speaker_the_sides_and_the_action_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.vtt"
    path.write_text(
        as_webvtt() + "\n01:00:00.000 --> 01:00:02.000\n<v Ann>I'll send the quote by Friday.\n",
        encoding="utf-8",
    )
    # when
    main(["transcript", "analyze", str(path), "--internal", "Ann", "--date", "2026-11-25"])
    output = capsys.readouterr().out
    # then: Bob talked 32.5 of 69.5 s (47%) in 3 turns, 17 words at 31.4 a minute; his
    # longest monologue, 18.5 s, shows as 00:19 (half a second rounds up)
    [bob] = [line for line in output.splitlines() if line.strip().startswith("Bob")]
    assert bob.split() == [
        "Bob", "customer", "47%", "3", "17", "31", "1", "5", "0.20", "00:19", "1", "1",
    ]
    assert "Longest monologue: Bob, 00:19" in output
    assert "- Ann: I'll send the quote by Friday. (due 2026-11-27)" in output
    assert "Internal: talk 39%, questions 3, statements 5" in output


def test_an_internal_name_nobody_speaks_under_is_warned_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.vtt"
    path.write_text(as_webvtt(), encoding="utf-8")
    # when: "Anne" for Ann
    main(["transcript", "analyze", str(path), "--internal", "Anne", "--json"])
    captured = capsys.readouterr()
    # then: the JSON alone on stdout, the warning on stderr
    assert json.loads(captured.out)["customer_talk_share"] == 1.0
    assert captured.err == "warning: --internal 'Anne': nobody of that name speaks\n"


def test_the_table_says_how_to_name_our_side_and_to_give_the_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.txt"
    path.write_text("Ann: Hello.\nBob: I will send the quote tomorrow.\n", encoding="utf-8")
    # when: neither --internal nor --date
    main(["transcript", "analyze", str(path)])
    output = capsys.readouterr().out
    # then
    assert "Nobody is on our side: name our people with --internal NAME." in output
    assert "  - Bob: I will send the quote tomorrow.\n" in output
    assert "Due dates such as 'by Friday' need the meeting's --date YYYY-MM-DD." in output


def test_rich_markup_and_terminal_escapes_in_names_are_printed_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    path = tmp_path / "call.json"
    path.write_text(json.dumps([
        {"speaker": "[bold red]Eve\x1b[2J", "start": 0, "end": 5, "text": "Hello."},
    ]), encoding="utf-8")
    # when
    main(["transcript", "analyze", str(path)])
    output = capsys.readouterr().out
    # then
    assert "[bold red]Eve" in output
    assert "\x1b" not in output


def test_a_malformed_file_is_refused_naming_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: a cue whose start has 99 seconds, on line 6
    path = tmp_path / "bad.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hi.\n\n"
        "00:00:99.000 --> 00:01:40.000\n<v Bob>Hello.\n",
        encoding="utf-8",
    )
    # when
    message = refused(capsys, str(path))
    # then
    assert re.match(rf"{re.escape(str(path))}:6: \S", message), message


@pytest.mark.parametrize(("args", "message"), [
    (["missing.vtt"], "missing.vtt: no such file"),
    (["{folder}"], "{folder}: is a folder, not a transcript file"),
    (["{file}", "--date", "25/11/2026"], "--date: '25/11/2026' is not a date (use YYYY-MM-DD)"),
    # the file taken as one more name of ours
    (["--internal", "Ann", "{file}"], "FILE is missing: give it before --internal, or end the "
     "names with -- (heedful transcript analyze --internal Ann Bob -- call.vtt)"),
])
def test_a_bad_file_or_option_is_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    # given
    (tmp_path / "call.vtt").write_text(as_webvtt(), encoding="utf-8")
    names = {"folder": str(tmp_path), "file": str(tmp_path / "call.vtt")}
    # when
    line = refused(capsys, *[arg.format(**names) for arg in args])
    # then
    assert line == message.format(**names)


def test_heedful_help_lists_the_transcript_command(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    main(["--help"])
    # then
    [line] = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith("  transcript ")]
    assert "no database" in line or "Conversation figures" in line


def test_it_runs_without_a_database(tmp_path: Path) -> None:
    # given: a database address nothing answers at
    path = tmp_path / "call.vtt"
    path.write_text(as_webvtt(), encoding="utf-8")
    environment = {
        **os.environ, "HEEDFUL_HOME": str(tmp_path), "HEEDFUL_DATABASE_URL": UNREACHABLE_DATABASE,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # when
    result = subprocess.run(
        [str(HEEDFUL), "transcript", "analyze", str(path), "--internal", "Ann", "--json"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    # then: exactly the contract's object on stdout
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == CALL_FIGURES
