"""The toy language: the source's sentence, long-range variants, both lexicons, scoring."""

from __future__ import annotations

import numpy as np
import pytest

from explainer import ExplainerError
from explainer.tasks.language import ANSWERS, BUCKETS, Grammar, accuracy_by_distance, batch
from explainer.tasks.lexicon import Lexicon

SOURCE_ZH = "Alice是一名女教师，她喜欢给学生讲课；Bob是一位男司机，他喝酒上瘾。"
SOURCE_EN = "Alice is a female teacher, she likes teaching students; Bob is a male driver, he is addicted to drinking."


def test_the_source_passage_in_both_languages():
    g = Grammar(0)
    p = g.source_passage()
    assert g.lexicon.render(p.ids, "zh") == SOURCE_ZH
    assert g.lexicon.render(p.ids, "en") == SOURCE_EN


def test_targets_sit_before_each_pronoun_and_name_its_class():
    g = Grammar(0)
    p = g.source_passage()
    words = g.lexicon.tokens(p.ids, "en")
    slots = np.flatnonzero(p.targets >= 0)
    assert [words[t + 1] for t in slots] == ["she", "he"]
    assert [ANSWERS[c] for c in p.targets[slots]] == ["pronoun:she", "pronoun:he"]
    assert list(p.distances[slots]) == [3, 3], "from 'female'/'male' to the pronoun"


def test_the_current_subject_and_the_new_subject_marks():
    g = Grammar(0)
    p = g.source_passage()
    words = g.lexicon.tokens(p.ids, "en")
    bob = words.index("Bob")
    assert all(p.gender[:bob] == 1) and all(p.gender[bob:] == -1)
    assert list(np.flatnonzero(p.new_subject)) == [bob]
    assert list(np.flatnonzero(p.new_gender)) == [words.index("male")]


def test_a_subjects_first_pronoun_is_short_and_its_later_one_comes_after_the_filler():
    g = Grammar(5, distractors=0.0)
    for k in (0, 7, 50, 94):
        p = g.assemble([g.subject_clause("female", [k])])
        first, later = np.flatnonzero(p.targets >= 0)
        assert p.distances[first] == 3, "female teacher , she"
        assert p.distances[later] in (k + 3, k + 4), "predicate , filler [,] she: from the first pronoun"


def test_object_mentions_are_short_dependencies_that_do_not_change_the_subject():
    g = Grammar(0, distractors=1.0)
    p = g.assemble([g.subject_clause("female", [40])])
    words = [g.lexicon.words[i] for i in p.ids]
    objects = [t for t, w in enumerate(words) if w.role == "object_pronoun"]
    assert len(objects) >= 3, "the filler meets other people and refers back to them"
    for t in objects:
        name = max(s for s in range(t) if words[s].role == "name")
        assert words[t].gender == words[name].gender, "her/him agrees with the person just met"
        assert ANSWERS[p.targets[t - 1]] == ("pronoun:she" if words[t].gender == "female" else "pronoun:he")
        assert 2 <= p.distances[t - 1] <= 3, "met Bob [at home] and thanked him"
    assert set(p.gender) == {1}, "the subject stays female"
    assert words[int(np.flatnonzero(p.targets >= 0)[-1]) + 1].en == "she"


def test_the_filler_reads_as_phrases_separated_by_commas():
    g = Grammar(4)
    for _ in range(50):
        p = g.passage()
        text = g.lexicon.render(p.ids, "en").replace(";", ",").replace(".", "")
        for piece in text.split(","):
            roles = [g.lexicon.words[i].role for i in g.lexicon.parse(piece, "en")] if piece.strip() else []
            assert roles.count("activity") <= 1, f"one thing done per phrase: {piece!r}"
            if "activity" in roles:
                assert roles in (["activity"], ["adverbial", "activity"]), piece


def test_chinese_her_and_him_are_objects_after_a_verb():
    lex = Lexicon()
    ids = lex.parse("Alice是一名女教师，她喜欢给学生讲课，遇见了Bob然后感谢了他，她热爱音乐", "zh")
    roles = [lex.words[i].role for i in ids]
    assert roles.count("object_pronoun") == 1 and roles.count("pronoun") == 2
    assert lex.render(ids, "en").endswith("met Bob and thanked him, she loves music")


def test_country_and_language():
    g = Grammar(1)
    p = g.assemble([g.country_clause(10)])
    slot = np.flatnonzero(p.targets >= 0)[0]
    country = [g.lexicon.words[i] for i in p.ids if g.lexicon.words[i].role == "country"][0]
    assert ANSWERS[p.targets[slot]] == f"language:{g.lexicon.words[p.ids[slot + 1]].en}"
    assert g.lexicon.words[p.ids[slot + 1]].value == country.value
    assert p.distances[slot] in (14, 15), "France , ten filler tokens [,] I can speak fluent French"


def test_random_passages_span_every_distance_bucket():
    g = Grammar(2)
    passages = [g.passage() for _ in range(300)]
    distances = np.concatenate([p.distances[np.isin(p.targets, (0, 1))] for p in passages])
    for lo, hi in BUCKETS:
        assert ((distances >= lo) & (distances <= hi)).sum() > 20


def test_sampling_is_seeded():
    a, b = Grammar(7).passage(), Grammar(7).passage()
    np.testing.assert_array_equal(a.ids, b.ids)


def test_parse_either_language_and_refuse_unknown_words():
    lex = Lexicon()
    assert lex.parse(SOURCE_ZH, "zh") == lex.parse(SOURCE_ZH, "zh")
    assert lex.render(lex.parse(SOURCE_EN, "en"), "en") == SOURCE_EN
    with pytest.raises(ExplainerError, match=r"unknown word 'Zed' in the text; the vocabulary \(en\) is: Alice, Bob"):
        lex.parse("Zed is a male driver", "en")
    with pytest.raises(ExplainerError, match=r"vocabulary \(zh\)"):
        lex.parse("张三是一名男司机", "zh")
    with pytest.raises(ExplainerError, match="text is empty"):
        lex.parse("   ", "en")


def test_batch_pads_and_masks():
    g = Grammar(0)
    ps = [g.source_passage(), g.assemble([g.subject_clause("male", [2])])]
    ids, targets = batch(ps)
    assert ids.shape == targets.shape == (2, len(ps[0]))
    assert (ids[1, len(ps[1]):] == 0).all() and (targets[1, len(ps[1]):] == -1).all()


def test_accuracy_by_distance_counts_right_and_wrong():
    g = Grammar(3)
    ps = [g.passage() for _ in range(50)]
    perfect = accuracy_by_distance(ps, [p.targets for p in ps])
    assert all(v["accuracy"] == 1.0 for v in perfect.values() if v["count"])
    flipped = accuracy_by_distance(ps, [np.where(p.targets == 0, 1, 0) for p in ps])
    assert all(v["accuracy"] == 0.0 for v in flipped.values() if v["count"])
    assert list(perfect) == [f"{lo}-{hi}" for lo, hi in BUCKETS]
