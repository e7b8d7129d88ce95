"""The words of the toy language, in English and Chinese.

One token sequence serves both lecture languages: every token has an English and a
Chinese surface form, so a trace recorded once is labelled in either language. Tokens
are language-neutral ids; their roles (name, gender word, pronoun, country, ...) drive
the grammar in `language.py`.

The source's sentence, token by token:

    Alice | 是一名 | 女 | 教师 | ， | 她 | 喜欢给学生讲课 | ； | Bob | 是一位 | 男 | 司机 | ， | 他 | 喝酒上瘾 | 。
    Alice | is a | female | teacher | , | she | likes teaching students | ; | Bob | is a | male | driver | , | he | is addicted to drinking | .
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ExplainerError
from ..style import LANGS

FEMALE, MALE = "female", "male"
#: The languages every word has a surface form in.


@dataclass(frozen=True)
class Word:
    key: str  # stable identifier, e.g. "name:Alice"
    en: str
    zh: str
    role: str  # pad, name, is_a, gender, noun, pronoun, predicate, adverbial, activity, object_verb, then_verb,
    #           object_pronoun, punct, i, born, speak, country, language
    gender: str | None = None  # names, gender words, pronouns
    value: str | None = None  # countries and languages: the country they belong to

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _w(role: str, en: str, zh: str, gender: str | None = None, value: str | None = None, key: str | None = None) -> Word:
    return Word(key or f"{role}:{en}", en, zh, role, gender, value)


NAMES = [
    _w("name", "Alice", "Alice", FEMALE), _w("name", "Bob", "Bob", MALE),
    _w("name", "Carol", "Carol", FEMALE), _w("name", "David", "David", MALE),
    _w("name", "Emma", "Emma", FEMALE), _w("name", "Frank", "Frank", MALE),
    _w("name", "Grace", "Grace", FEMALE), _w("name", "Henry", "Henry", MALE),
    _w("name", "Lucy", "Lucy", FEMALE), _w("name", "Tom", "Tom", MALE),
]
IS_A = [_w("is_a", "is a", "是一名", key="is_a:1"), _w("is_a", "is a", "是一位", key="is_a:2")]
GENDER_WORDS = [_w("gender", "female", "女", FEMALE), _w("gender", "male", "男", MALE)]
NOUNS = [
    _w("noun", "teacher", "教师"), _w("noun", "driver", "司机"), _w("noun", "doctor", "医生"),
    _w("noun", "nurse", "护士"), _w("noun", "engineer", "工程师"), _w("noun", "farmer", "农民"),
    _w("noun", "singer", "歌手"), _w("noun", "writer", "作家"), _w("noun", "cook", "厨师"),
    _w("noun", "lawyer", "律师"),
]
PRONOUNS = [_w("pronoun", "she", "她", FEMALE), _w("pronoun", "he", "他", MALE)]
PREDICATES = [
    _w("predicate", "likes teaching students", "喜欢给学生讲课"),
    _w("predicate", "is addicted to drinking", "喝酒上瘾"),
    _w("predicate", "reads every evening", "每晚读书"),
    _w("predicate", "works very hard", "工作很努力"),
    _w("predicate", "loves music", "热爱音乐"),
    _w("predicate", "drives to work", "开车上班"),
    _w("predicate", "cooks for friends", "给朋友做饭"),
    _w("predicate", "walks the dog", "遛狗"),
]
#: Filler is what the subject did, said without repeating the subject, as Chinese drops it: "in the morning
#: went running, on weekends read books". An adverbial (when, where) and an activity make one phrase.
ADVERBIALS = [
    _w("adverbial", "every day", "每天"), _w("adverbial", "in the morning", "早上"),
    _w("adverbial", "after work", "下班后"), _w("adverbial", "in the city", "在城里"),
    _w("adverbial", "with friends", "和朋友们一起"), _w("adverbial", "on weekends", "周末"),
    _w("adverbial", "at home", "在家"), _w("adverbial", "by the river", "在河边"),
    _w("adverbial", "often", "经常"), _w("adverbial", "usually", "通常"),
    _w("adverbial", "in summer", "夏天"), _w("adverbial", "in winter", "冬天"),
    _w("adverbial", "after lunch", "午饭后"), _w("adverbial", "at night", "晚上"),
    _w("adverbial", "then", "然后"), _w("adverbial", "sometimes", "有时"),
]
ACTIVITIES = [
    _w("activity", "went running", "去跑步"), _w("activity", "read books", "看书"),
    _w("activity", "took the bus", "坐公交车"), _w("activity", "watered the flowers", "浇花"),
    _w("activity", "wrote letters", "写信"), _w("activity", "played chess", "下棋"),
    _w("activity", "watched a film", "看电影"), _w("activity", "bought vegetables", "买菜"),
    _w("activity", "cleaned the house", "打扫房间"), _w("activity", "sang", "唱歌"),
    _w("activity", "went swimming", "去游泳"), _w("activity", "drank tea", "喝茶"),
]
#: Verbs that take a person as object: "met Bob" mentions Bob without making him the subject,
#: and "and thanked him" refers back to Bob: a short dependency of its own inside the filler.
OBJECT_VERBS = [
    _w("object_verb", "met", "遇见了"), _w("object_verb", "called", "打电话给"),
    _w("object_verb", "helped", "帮助了"), _w("object_verb", "visited", "拜访了"),
    _w("object_verb", "waited for", "等了"), _w("object_verb", "wrote to", "写信给"),
]
THEN_VERBS = [
    _w("then_verb", "and thanked", "然后感谢了"), _w("then_verb", "and asked", "然后问了"),
    _w("then_verb", "and told", "然后告诉了"), _w("then_verb", "and taught", "然后教了"),
]
OBJECT_PRONOUNS = [_w("object_pronoun", "her", "她", FEMALE, key="object_pronoun:her"),
                   _w("object_pronoun", "him", "他", MALE, key="object_pronoun:him")]
PUNCT = [
    _w("punct", ",", "，", key="punct:comma"), _w("punct", ";", "；", key="punct:semicolon"),
    _w("punct", ".", "。", key="punct:period"), _w("punct", "…", "……", key="punct:ellipsis"),
]
I_WORDS = [_w("i", "I", "我")]
BORN = [_w("born", "was born in", "出生在")]
SPEAK = [_w("speak", "can speak fluent", "可以说流利的")]
COUNTRIES = [
    _w("country", "France", "法国", value="France"), _w("country", "China", "中国", value="China"),
    _w("country", "Germany", "德国", value="Germany"), _w("country", "Japan", "日本", value="Japan"),
    _w("country", "Spain", "西班牙", value="Spain"), _w("country", "Italy", "意大利", value="Italy"),
]
LANGUAGES = [
    _w("language", "French", "法语", value="France"), _w("language", "Chinese", "汉语", value="China"),
    _w("language", "German", "德语", value="Germany"), _w("language", "Japanese", "日语", value="Japan"),
    _w("language", "Spanish", "西班牙语", value="Spain"), _w("language", "Italian", "意大利语", value="Italy"),
]
PAD = _w("pad", "<pad>", "<pad>", key="pad")

WORDS: list[Word] = ([PAD] + NAMES + IS_A + GENDER_WORDS + NOUNS + PRONOUNS + PREDICATES + ADVERBIALS + ACTIVITIES
                     + OBJECT_VERBS + THEN_VERBS + OBJECT_PRONOUNS + PUNCT
                     + I_WORDS + BORN + SPEAK + COUNTRIES + LANGUAGES)


class Lexicon:
    """Token ids <-> words, and text <-> token ids in either language.

    >>> lex = Lexicon()
    >>> ids = lex.parse("Alice是一名女教师，她喜欢给学生讲课", "zh")
    >>> lex.render(ids, "en")
    'Alice is a female teacher, she likes teaching students'
    """

    def __init__(self, words: list[Word] = WORDS) -> None:
        self.words = list(words)
        self.index = {w.key: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("duplicate word keys")

    def __len__(self) -> int:
        return len(self.words)

    def id(self, key: str) -> int:
        return self.index[key]

    def role_ids(self, role: str) -> list[int]:
        return [i for i, w in enumerate(self.words) if w.role == role]

    def tokens(self, ids, lang: str) -> list[str]:
        """The surface form of each token."""
        return [self.words[int(i)].text(lang) for i in ids]

    def render(self, ids, lang: str) -> str:
        """Readable text: Chinese joined without spaces, English with spaces before words."""
        out = ""
        for tok, i in zip(self.tokens(ids, lang), ids):
            if lang == "zh" or not out or self.words[int(i)].role == "punct":
                out += tok
            else:
                out += " " + tok
        return out

    def vocabulary(self, lang: str) -> list[str]:
        seen: dict[str, None] = {}
        for w in self.words[1:]:
            seen.setdefault(w.text(lang))
        return list(seen)

    def parse(self, text: str, lang: str) -> list[int]:
        """Text -> token ids by longest match of the language's surface forms.

        English words are separated by spaces (punctuation may touch words); Chinese needs
        no spaces. An unknown word is an error that lists the vocabulary.
        """
        if lang not in LANGS:
            raise ExplainerError(f"unknown language {lang!r}; valid: {', '.join(LANGS)}")
        forms: dict[str, int] = {}
        for i, w in enumerate(self.words[1:], start=1):
            forms.setdefault(w.text(lang).lower(), i)
        longest = max(len(f) for f in forms)
        text = text.strip()
        ids: list[int] = []
        pos = 0
        while pos < len(text):
            if text[pos].isspace():
                pos += 1
                continue
            for size in range(min(longest, len(text) - pos), 0, -1):
                piece = text[pos:pos + size].lower()
                end = pos + size
                boundary = lang == "zh" or end == len(text) or not (text[end].isalnum() and piece[-1].isalnum())
                if piece in forms and boundary:
                    ids.append(forms[piece])
                    pos = end
                    break
            else:
                word = text[pos:].split()[0] if lang == "en" else text[pos:pos + 4]
                raise ExplainerError(
                    f"unknown word {word!r} in the text; the vocabulary ({lang}) is: {', '.join(self.vocabulary(lang))}"
                )
        if not ids:
            raise ExplainerError("the text is empty; give at least one word")
        return self._object_pronouns(ids)

    def _object_pronouns(self, ids: list[int]) -> list[int]:
        """Chinese writes 她/他 for she/her and he/him: right after a verb that takes an object it is the object."""
        out = list(ids)
        objects = {self.words[i].gender: i for i in self.role_ids("object_pronoun")}
        for k in range(1, len(out)):
            if self.words[out[k]].role == "pronoun" and self.words[out[k - 1]].role in ("then_verb", "object_verb"):
                out[k] = objects[self.words[out[k]].gender]
        return out
