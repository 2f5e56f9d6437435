"""jieba's precise-mode cut (HMM on), computed the same way with less Python per character.

Word cutting was the largest single cost of indexing. jieba builds a dict of candidate
end positions for every character, then a route with a generator of tuples per
character, and its HMM for runs of unknown characters keeps a dict per
character and copies a path list per state. :class:`DagCutter` walks the same
prefix dictionary (the tokenizer's ``FREQ``, shared, not copied) and scores the
same candidates in the same order with the same floating-point operations, so
ties and results are identical; :func:`hmm_cut` is jieba's Viterbi over the
four B/M/E/S states with back-pointers instead of copied paths.
tests/test_wordcut.py compares both with jieba on the seeds and on generated
text (docs/performance.md has what it saves).

It relies on the internals of jieba 0.42.1 (the version requirements.txt pins):
the tokenizer's ``FREQ``/``total`` and the model tables of ``jieba.finalseg``.
"""
from __future__ import annotations

import math

from jieba import finalseg
from jieba.finalseg import MIN_FLOAT, emit_P, start_P, trans_P

_EMIT_B, _EMIT_M, _EMIT_E, _EMIT_S = emit_P["B"], emit_P["M"], emit_P["E"], emit_P["S"]
_START_B, _START_M, _START_E, _START_S = start_P["B"], start_P["M"], start_P["E"], start_P["S"]
# Only the transitions jieba's PrevStatus allows: B←E|S, M←M|B, S←S|E, E←B|M.
_T_EB, _T_SB = trans_P["E"].get("B", MIN_FLOAT), trans_P["S"].get("B", MIN_FLOAT)
_T_MM, _T_BM = trans_P["M"].get("M", MIN_FLOAT), trans_P["B"].get("M", MIN_FLOAT)
_T_SS, _T_ES = trans_P["S"].get("S", MIN_FLOAT), trans_P["E"].get("S", MIN_FLOAT)
_T_BE, _T_ME = trans_P["B"].get("E", MIN_FLOAT), trans_P["M"].get("E", MIN_FLOAT)
_STATE_INDEX = {"B": 0, "M": 1, "E": 2, "S": 3}


def hmm_tags(chars: str) -> list[str]:
    """The B/M/E/S tag of each character, as jieba.finalseg's viterbi() gives them.

    jieba takes ``max`` over ``(probability, previous state)`` tuples, so an equal
    probability goes to the later letter (S over E, M over B); the comparisons
    below keep that order."""
    c = chars[0]
    vb = _START_B + _EMIT_B.get(c, MIN_FLOAT)
    vm = _START_M + _EMIT_M.get(c, MIN_FLOAT)
    ve = _START_E + _EMIT_E.get(c, MIN_FLOAT)
    vs = _START_S + _EMIT_S.get(c, MIN_FLOAT)
    back: list[tuple[str, str, str, str]] = []
    for c in chars[1:]:
        em = _EMIT_B.get(c, MIN_FLOAT)
        from_e, from_s = ve + _T_EB + em, vs + _T_SB + em
        nb, pb = (from_s, "S") if from_s >= from_e else (from_e, "E")
        em = _EMIT_M.get(c, MIN_FLOAT)
        from_m, from_b = vm + _T_MM + em, vb + _T_BM + em
        nm, pm = (from_m, "M") if from_m >= from_b else (from_b, "B")
        em = _EMIT_S.get(c, MIN_FLOAT)
        from_s, from_e = vs + _T_SS + em, ve + _T_ES + em
        ns, ps = (from_s, "S") if from_s >= from_e else (from_e, "E")
        em = _EMIT_E.get(c, MIN_FLOAT)
        from_b, from_m = vb + _T_BE + em, vm + _T_ME + em
        ne, pe = (from_m, "M") if from_m >= from_b else (from_b, "B")
        back.append((pb, pm, pe, ps))
        vb, vm, ve, vs = nb, nm, ne, ns
    state = "S" if vs >= ve else "E"
    tags = [state]
    for pointers in reversed(back):
        state = pointers[_STATE_INDEX[state]]
        tags.append(state)
    tags.reverse()
    return tags


def hmm_cut(chars: str) -> list[str]:
    """Words of a run of ideographs by the HMM alone: ``list(jieba.finalseg.cut(chars))``."""
    words: list[str] = []
    begin = done = 0
    for i, tag in enumerate(hmm_tags(chars)):
        if tag == "B":
            begin = i
        elif tag == "E":
            words.append(chars[begin:i + 1])
            done = i + 1
        elif tag == "S":
            words.append(chars[i])
            done = i + 1
    if done < len(chars):
        words.append(chars[done:])
    forced = finalseg.Force_Split_Words  # words jieba.del_word() asked the HMM never to yield
    if forced:
        words = [part for word in words for part in ((word,) if word not in forced else word)]
    return words


class DagCutter:
    """``list(tokenizer.cut(run, HMM=True))`` for a run of U+4E00–U+9FD5 ideographs.

    The route is computed right to left as jieba's ``calc`` does: for each start,
    every dictionary word beginning there (a prefix walk over ``FREQ``, which holds
    each word's prefixes with frequency 0) scored ``log(freq) - log(total) +
    score(after the word)``, the best kept, a later end winning a tie; a
    character no word starts with is scored as frequency 1. Single characters
    in a row are then joined and, unless the joined string is a word, cut by the
    HMM."""

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer

    def __call__(self, run: str) -> list[str]:
        # Read on every call: initialize() replaces the dictionary, add_word() changes the total.
        freq_of: dict[str, int] = self._tokenizer.FREQ
        get = freq_of.get
        logtotal = math.log(self._tokenizer.total)
        log = math.log
        n = len(run)
        scores = [0.0] * (n + 1)
        ends = list(range(n + 1))
        for start in range(n - 1, -1, -1):
            freq = get(run[start])
            if freq is None:  # not even a prefix: the character alone, frequency 1
                scores[start] = 0.0 - logtotal + scores[start + 1]
                continue
            best = None
            end = start
            i = start
            while True:
                if freq:
                    score = log(freq) - logtotal + scores[i + 1]
                    if best is None or score >= best:
                        best, end = score, i
                i += 1
                if i == n:
                    break
                freq = get(run[start:i + 1])
                if freq is None:
                    break
            if best is None:  # only a prefix of longer words, none of which fits here
                best = 0.0 - logtotal + scores[start + 1]
                end = start
            scores[start] = best
            ends[start] = end
        return self._words(run, ends, freq_of)

    @staticmethod
    def _words(run: str, ends: list[int], freq_of: dict[str, int]) -> list[str]:
        words: list[str] = []
        single_from = -1  # start of the current stretch of one-character steps
        x, n = 0, len(run)
        while x < n:
            y = ends[x] + 1
            if y - x == 1:
                if single_from < 0:
                    single_from = x
            else:
                if single_from >= 0:
                    _singles(run[single_from:x], words, freq_of)
                    single_from = -1
                words.append(run[x:y])
            x = y
        if single_from >= 0:
            _singles(run[single_from:], words, freq_of)
        return words


def _singles(chars: str, words: list[str], freq_of: dict[str, int]) -> None:
    """A stretch of one-character steps: kept as characters when it is itself a word, else the HMM's."""
    if len(chars) == 1:
        words.append(chars)
    elif freq_of.get(chars):
        words.extend(chars)
    else:
        words.extend(hmm_cut(chars))
