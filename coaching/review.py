"""The review of a request draft, judged like a coach would judge it.

Each rule of the method (DESIGN.md, "Coaching rules, with their numbers") is one check. A check reads
the draft sentence by sentence, so that a failed check can quote the sentence (or phrase) at fault and
say how to fix it. The rules look for meaning in families of wordings rather than a single cue word:
"what links you" may be a referrer, a shared school or team, having met, a relative, or a talk of
theirs; a job ask may be a CV, a referral or "keep me in mind".

Pure standard library: the draft comes in as text, the checks go out as plain values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from coaching import defaults
from coaching.enums import DraftKind

__all__ = ["Check", "passed", "review", "sentences", "word_count"]

WORD_LIMIT = defaults.MAX_REQUEST_WORDS
STRICT_WORD_LIMIT = defaults.MAX_REQUEST_WORDS_STRICT
LINKEDIN_NOTE_LIMIT = defaults.LINKEDIN_NOTE_MAX_CHARS
# A modest ask: 10-30 minutes by phone or video, or up to an hour in person.
CALL_MINUTES = (10, 30)
IN_PERSON_MINUTES = 60
# "More about you than them": sentences about the sender outnumber those about the recipient by this many.
ABOUT_ME_MARGIN = 1


@dataclass(frozen=True)
class Check:
    key: str
    ok: bool
    label: str
    fix: str = ""


def passed(checks: list[Check]) -> bool:
    return all(check.ok for check in checks)


# Words and sentences -------------------------------------------------------------------------------------

_APOS = "['’]"


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile, with ``{a}`` standing for either apostrophe."""
    return re.compile(pattern.replace("{a}", _APOS), flags)


_WORD = _c(r"['’-]*[^\W_](?:[^\W_]|['’-])*")


def word_count(text: str) -> int:
    """Words are runs of letters, digits, apostrophes and hyphens."""
    return len(_WORD.findall(text))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st sr jr vs etc eg ie e.g i.e approx inc ltd co corp dept univ no nr ca cf al fig "
    "mt ft jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m am pm u.s u.k ph.d b.sc m.sc ba bsc msc "
    "hon rev gen col lt capt sgt min mins hr hrs wk approx esp incl resp tel ext".split()
)
_BULLET = _c(r"^\s*(?:[-*•·–—>]|\d{1,2}[.)])\s+")
_SENTENCE_END = _c(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9ÀÉÎÓÚÄÖÜ¿¡])|(?<=[?!])\s+")
_GREETING = _c(
    r"^(?:hi|hello|hey|hiya|howdy|dear|greetings|good (?:morning|afternoon|evening|day)|to whom it may concern)\b"
    r"(?:(?:dr|mr|mrs|ms|mx|prof|rev|sr|st)\.|[^,!:;.?\n—–]){0,40}?(?:[,!:;—–]+|\s-\s|$)\s*",
    re.I,
)
_CLOSINGS = _c(
    r"^(?:best(?: wishes| regards)?|(?:kind|warm|warmest|many|with) (?:regards|thanks|wishes)|regards|cheers|"
    r"sincerely|yours(?: sincerely| truly| faithfully)?|all the best|warmly|take care|talk soon|speak soon|"
    r"thanks(?: again| so much| in advance| a lot)?|thank you(?: again| so much| in advance| either way)?|"
    r"with gratitude|gratefully|respectfully|have a (?:great|good|nice|lovely) (?:day|week|weekend)|-+|—)"
    r"[\s,.!]*",
    re.I,
)


def _line_blocks(body: str) -> list[str]:
    """Join hard-wrapped lines back into paragraphs; a blank line, a bullet, a short line or an ended
    sentence starts a new block."""
    blocks: list[str] = []
    current: list[str] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        if current and (
            bullet
            or re.search(r"[.!?:;…]['\"”’)]*$", current[-1])
            or len(_words(current[-1])) <= 4
            or _GREETING.match(current[-1])
        ):
            blocks.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append(" ".join(current))
    return blocks


def _split_block(block: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(block):
        left = block[start : match.start()].rstrip()
        last = left.split()[-1] if left.split() else ""
        token = last.rstrip(".").lower().lstrip("(\"'“‘").split("/")[-1]
        if last.endswith(".") and (token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token)):
            continue  # "Dr. Chen", "e.g. evenings", "J. Smith": not the end of a sentence
        parts.append(block[start : match.start()].strip())
        start = match.end()
    parts.append(block[start:].strip())
    return [p for p in parts if p]


def sentences(body: str) -> list[str]:
    """The sentences of a draft: lines, bullets and abbreviations handled; a greeting stays its own."""
    out: list[str] = []
    for block in _line_blocks(body):
        for sentence in _split_block(block):
            greeting = _GREETING.match(sentence)
            if greeting and greeting.end() < len(sentence) and not out:
                out.append(sentence[: greeting.end()].strip())
                rest = sentence[greeting.end() :].strip()
                if rest:
                    out.append(rest)
            else:
                out.append(sentence)
    return out


@dataclass(frozen=True)
class _Draft:
    body: str
    greeting: str | None
    content: list[str]  # the sentences between the greeting and the sign-off
    signoff: list[str]

    @property
    def all(self) -> list[str]:
        return ([self.greeting] if self.greeting else []) + self.content + self.signoff


_SALUTATION = _c(r"(?:(?:Mr|Ms|Mrs|Mx|Dr|Prof|Professor)\.?\s+)?[A-ZÀ-Ý][\w'’.-]*(?:\s+[A-ZÀ-Ý][\w'’.-]*){0,2}\s*[,:]")


def _is_signoff(sentence: str) -> bool:
    if "?" in sentence or len(_words(sentence)) > 5:
        return False
    if _CLOSINGS.fullmatch(sentence.strip()):
        return True
    stripped = sentence.strip().rstrip(",.!")
    if sentence.strip().endswith(",") and len(_words(sentence)) <= 4:
        return True  # "Thank you either way," / "With thanks,"
    # A name: one to four capitalised words, maybe with a short title after a separator.
    return bool(re.fullmatch(r"(?:[A-ZÀ-Ý][\w'’.-]*\s?){1,4}(?:[|,/–—-].{0,30})?", stripped))


def _parse(body: str) -> _Draft:
    parts = sentences(body)
    greeting = None
    if parts and (_GREETING.fullmatch(parts[0]) or _SALUTATION.fullmatch(parts[0])):
        greeting, parts = parts[0], parts[1:]
    signoff: list[str] = []
    while parts and _is_signoff(parts[-1]) and len(parts) > 1:
        signoff.insert(0, parts.pop())
    return _Draft(body, greeting, parts, signoff)


def _quote(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{text}”"


# Shared vocabulary -----------------------------------------------------------------------------------------

_ME = _c(rf"\b(?:i|me|my|mine|myself|i{_APOS}(?:m|d|ve|ll))\b", re.I)
_YOU = _c(rf"\b(?:you|your|yours|yourself|yourselves|you{_APOS}(?:re|d|ve|ll))\b", re.I)
_THANK_YOU = _c(r"\bthank you\b", re.I)


def _you_count(s: str) -> int:
    return len(_YOU.findall(_THANK_YOU.sub("", s)))


def _search(patterns: Iterable[re.Pattern[str]], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found
    return None


def _rx(*patterns: str, flags: int = re.I) -> tuple[re.Pattern[str], ...]:
    return tuple(_c(p, flags) for p in patterns)


# Connection: what links you, recognised by meaning --------------------------------------------------------

_REACH = (
    r"(?:reach(?:ing)? out|get(?:ting)? in touch|contact(?:ing)?|connect(?:ing)?|writ(?:e|ing)|"
    r"speak(?:ing)?|talk(?:ing)?|email(?:ing)?|messag(?:e|ing)|ask(?:ing)?|send(?:ing)?|drop(?:ping)?|"
    r"approach(?:ing)?|call(?:ing)?|chat(?:ting)? with|ring|phone|give you a (?:ring|call|shout|buzz)|look you up|"
    r"get hold of you|reach you|try you)"
)
_RELATIVES = (
    r"(?:cousin|neighbou?r|classmate|schoolmate|coursemate|flatmate|roommate|housemate|teammate|sister|brother|"
    r"sibling|aunt|uncle|niece|nephew|mum|mom|mother|dad|father|parent|son|daughter|friend|best friend|partner|"
    r"husband|wife|fianc[ée]e?|girlfriend|boyfriend|godmother|godfather|godson|goddaughter|grandmother|"
    r"grandfather|grandma|grandpa|in-law|brother-in-law|sister-in-law)"
)
_LINK_ROLES = (
    r"(?:colleague|co-?worker|teammate|classmate|mentor|mentee|professor|teacher|tutor|lecturer|supervisor|"
    r"manager|boss|student|intern|coach|adviser|advisor|TA|doctor|pastor|landlord|tenant|client|"
    r"former colleague|old colleague)"
)
_WORK_NOUNS = (
    r"(?:talk|keynote|paper|article|post|blog|blogpost|podcast|episode|interview|panel|presentation|webinar|"
    r"lecture|book|chapter|thesis|dissertation|research|study|report|project|newsletter|essay|op-ed|piece|"
    r"video|thread|session|workshop|column|speech|tweet|comment|answer|guide|case study|exhibition|"
    r"documentary|app|tool|library|repo|portfolio|campaign|story|poster|publication|slides|seminar|analysis|"
    r"series|course|class|masterclass|work on|write-up|writeup|feature|profile of|stream|"
    r"notebook|dataset|model|package|framework|toolkit|demo|album|film|short film|mural|exhibit|installation|"
    r"sculpture|recipe|menu|playbook|template|curriculum|lesson|survey|map|dashboard|visuali[sz]ation|chart|"
    r"substack|vlog|channel|reel|photo|photos|photograph|pictures|shots|gallery|website|site|handbook|manual|"
    r"letter|testimony|briefing|white paper|whitepaper|poem|novel|memoir|review|reading list|talk track|"
    r"TED talk|TEDx talk|AMA|Q&A|livestream|showcase|pitch|startup|launch|redesign|renovation|build|garden)"
)
_ENCOUNTER = (
    r"(?:read|reading|heard|hearing|saw|seeing|watched|watching|listened|listening|attended|attending|"
    r"came across|come across|found|discovered|stumbled|enjoyed|loved|liked|followed|following|noticed|caught|"
    r"was at|were at|was in the audience|sat in|studied|used|using|bookmarked|shared|re-?read|devoured|"
    r"binged|came upon|learned from|learnt from)"
)
_IMPRESSION = (
    r"(?:stayed with|stuck with|struck|inspired|resonated|moved|changed|convinced|got me|made me|opened my|"
    r"helped me|prompted|sparked|caught my|impressed|fascinated|stayed in my|has stayed|is why|led me|"
    r"pushed me|encouraged me|shaped)"
)

_REFERRAL = _rx(
    # "Tom suggested I get in touch", "my professor told me to reach out", "Lea encouraged me to write"
    rf"\b(?:suggest(?:ed|s)?|recommend(?:ed|s)?|advis(?:ed|es)|encourag(?:ed|es)|urged|told|asked|nudged|"
    rf"prompted)\b(?: that)? (?:me |I )?(?:to |that I |I )?(?:should |might |could |must |would )?(?:\w+ )?{_REACH}\b",
    r"\b(?:suggest(?:ed|s)?|recommend(?:ed|s)?|mention(?:ed|s)?|nam(?:ed|es)|propos(?:ed|es)|flagg(?:ed|s))"
    r"(?: to me)? (?:you|your name|your work)\b",
    r"\b(?:gave|give|gives|passed|sent|forwarded|shared|provided)(?: me)?(?: along| on)? (?:me )?your "
    r"(?:name|details|contact|email|address|number|profile|info|information|card|handle)\b",
    r"\bpoint(?:ed|s)? me (?:to|toward|towards|your way|in your direction|at you|to you)\b",
    r"\b(?:sent|directed|steered|pointed) me (?:your way|to you|in your direction)\b",
    r"\b(?:referred|introduced|directed|pointed|connected) (?:me|us)\b",
    r"\b(?:was|were|have been|got) (?:kindly )?(?:referred|directed|pointed|introduced|sent|told|advised|encouraged|"
    r"recommended) (?:to|by|your|towards?|that)\b",
    r"\bput (?:me|us) (?:in touch|in contact|in your direction)\b",
    r"\bintroduc(?:ed|ing|tion)\b[^.?!]{0,20}\b(?:us|you)\b",
    r"\b(?:on|at|by|through|via|following) (?:the )?(?:suggestion|recommendation|advice|referral|tip) of\b",
    rf"\b(?:on|at|following|per|by|with) [A-Z][\w'-]*{_APOS}s (?:suggestion|recommendation|advice|idea|referral|tip|"
    r"introduction|urging|nudge)\b",
    rf"\b[A-Z][\w'-]*{_APOS}s (?:suggestion|recommendation|referral|introduction)\b",
    r"\b(?:our|a|one of our|my and your) mutual (?:friend|contact|colleague|connection|acquaintance|friends|contacts)\b",
    r"\byour name (?:came up|kept coming up|was mentioned|was given|was passed)\b",
    r"\bspeaks? (?:so |very )?highly of you\b|\bsings? your praises\b|\braves about you\b",
    r"\b(?:you|your name) (?:were|was) (?:recommended|suggested|mentioned)\b",
    r"\b(?:said|says|mentioned|told me|thought|thinks|reckons|promised|assured me|swears)(?: that)? (?:I|you)\b",
    r"\bthought (?:that )?(?:you(?:'d|’d| would| might| could| may)|I (?:should|might|could|ought))\b",
)
_REFERRAL_SELF = _c(rf"\b(?:I|I{_APOS}ve|I{_APOS}d|I have|I had|we)\s+(?:\w+ )?$", re.I)

_SHARED = _rx(
    r"\bfellow (?:[A-Z][\w&'’.-]*|alum\w*|grad\w*|member|student|attendee|participant|volunteer|mentee|cohort|"
    r"class\w*|speaker|panel\w*|rower|runner|parent|intern|trainee|fellow|resident|scholar|\w+ (?:alum\w*|grad\w*|"
    r"member|student|scholar|fellow|volunteer))",
    r"\b(?:alum|alumn(?:a|ae|i|us)|alma mater|old boys?|old girls?)\b",
    r"\b(?:classmates?|cohort-?mates?|batchmates?|coursemates?|schoolmates?|clubmates?|crewmates?|teammates?|"
    r"labmates?|bandmates?)\b",
    r"\b(?:same|shared|our) (?:[\w-]+ ){0,2}(?:school|university|college|cohort|class|course|programme|program|"
    r"degree|bootcamp|team|department|company|firm|employer|club|society|community|network|lab|group|chapter|"
    r"event|conference|meetup|workshop|panel|office|hospital|ward|church|gym|year|intake|batch|fellowship|"
    r"scheme|association|hometown|town|village|city|neighbou?rhood|street|building|board|committee|project|"
    r"choir|band|league|squad|crew|unit|regiment|alumni|mentorship|accelerator|incubator|guild|union|forum|"
    r"slack|discord|server|subreddit|circle|residency|rotation|placement|internship|dorm|hall)s?\b",
    r"\b(?:both of us|we both|the two of us|you and I(?: both| were| are| have)|we(?:{a}re| are| were|{a}ve| have) "
    r"both)\b",
    r"\blike you(?:rself)?,? I\b|\bjust like you\b|\bas you (?:once )?did\b|\bas you did\b",
    r"\bwe (?:(?:both|all|once|briefly|actually|also|used to|have|{a}ve) )?(?:\w+ed|met|went|sat|ran|sang|rode|took|"
    r"taught|spoke|built|swam|fought|grew|shared|had|did|were|was|used to|sang|drove|flew|won|lost|ate|slept|"
    r"stood|came|wrote|read|led|bid|dug)\b(?! (?:that|if|for|your)\b)",
    r"\bwe (?:\w+ )?(?:overlapped|crossed paths|worked together|studied together|trained together|served together|"
    r"volunteered together|went to|attended|shared|rowed|played|sang|ran|competed|interned)\b",
    r"\bwe (?:were|are) (?:both |also )?(?:in|at|on|with|part of|members of|from)\b",
    r"\b(?:overlapped|crossed paths)\b",
    r"\bI (?:also|too),? (?:studied|graduated|trained|rowed|played|worked|went|attended|volunteer\w*|interned|"
    r"did|am|was|grew up|come|came|belong)\b",
    r"\b(?:studied|graduated|trained|rowed|worked|played|volunteered|interned|grew up|live[ds]?)\b[^.?!]{0,40}"
    r"\b(?:too|as well|where you|when you|like you)\b",
    r"\byour (?:old|former|alma) (?:school|university|college|team|department|company|firm|lab|club|mater)\b",
    r"\b(?:we are|we(?:'|’)re|we were) (?:both )?(?:members|part|alumni|alums|neighbou?rs|colleagues)\b",
    r"\bmembers? of (?:the same|our)\b",
)

_MET = _rx(
    r"\bwe (?:briefly |first |finally |recently |once )?(?:met|spoke|talked|chatted|connected|sat|were introduced)\b",
    r"\b(?:I|we) (?:briefly )?(?:met|spoke (?:with|to)|chatted (?:with|to)|talked (?:with|to)) you\b",
    r"\bmet you\b",
    r"\b(?:great|good|nice|lovely|a pleasure|wonderful|fun|so good|so nice) (?:to )?(?:meet|meeting|chat|chatting|"
    r"talk|talking|speak|speaking|see|seeing|connect|connecting|catch up|catching up) (?:with )?you\b",
    r"\b(?:was|were|it's|it’s) (?:\w+ )?(?:great|good|nice|lovely|a pleasure|wonderful) (?:meeting|chatting|talking|"
    r"speaking|seeing)\b",
    r"\b(?:enjoyed|loved|appreciated|valued|remember) (?:meeting|chatting|talking|speaking|our|your (?:advice|"
    r"tips|words|time) at)\b",
    r"\bour (?:brief |short |recent |quick |lovely |great )?(?:conversation|chat|talk|exchange|discussion|"
    r"meeting) (?:at|during|after|last|in|on)\b",
    r"\b(?:at|during|after) the (?:[\w'’-]+ ){0,3}(?:meetup|meet-up|conference|event|fair|summit|workshop|hackathon|"
    r"panel|reception|dinner|mixer|webinar|seminar|open day|open house|networking|gala|career fair|talk|"
    r"session|retreat|offsite|convention|expo|symposium)\b[^.?!]{0,60}\b(?:met|spoke|chatted|talked|"
    r"conversation|chat|you|we|us)\b",
    r"\b(?:we|you|I) (?:\w+ ){0,2}(?:met|spoke|chatted|talked)\b[^.?!]{0,40}\bat the\b",
    r"\b(?:you (?:may|might|probably|possibly) (?:remember|recall)|remember me)\b",
    r"\b(?:it{a}s|it has|it is) been (?:a (?:little |long )?while|ages|too long|some time|a long time|forever)\b",
    r"\bsince (?:we|I) (?:last )?(?:spoke|talked|met|saw|caught up|worked|chatted)\b",
    r"\b(?:haven{a}t|have not|hasn{a}t|didn{a}t get to) (?:\w+ )?(?:talked|spoken|seen each other|caught up|been in touch|"
    r"chatted)\b|\blong time no (?:see|talk|speak)\b|\bgood to (?:be )?(?:in touch|reconnect)\b|\breconnect\b",
    r"\byou (?:mentioned|said|told me|suggested|offered|once told|once said|may remember)\b|"
    r"\byou kindly (?:offered|agreed|said|mentioned|suggested|invited)\b",
    r"\bas you (?:know|mentioned|said)\b|\byou know (?:me|what I|how I|I{a}m|that I)\b|"
    r"\byou know (?:us both|both of us|each of us|us each)\b",
    r"\bfollow(?:ing)? up (?:on|from|after) (?:my|our|the|your)\b",
    r"\bI (?:wrote|emailed|messaged|reached out|sent you|contacted you|called|left you)\b[^.?!]{0,40}\b(?:last|earlier|"
    r"ago|recently|before|the other day|previously)\b",
    r"\b(?:my|our) (?:earlier|previous|last|recent|original) (?:note|message|email|letter|conversation|chat|"
    r"exchange|call)\b",
    r"\bthank(?:s| you) (?:again )?for (?:the|our|your) (?:chat|conversation|talk|time|advice|call|meeting) "
    r"(?:at|last|on|yesterday|earlier)\b",
)

_RELATION = _rx(
    rf"\byour (?:\w+{_APOS}s )?(?:former |old |ex-)?{_RELATIVES}s?\b",
    rf"\byour (?:former|old|ex-) {_LINK_ROLES}s?\b",
    rf"\b{_RELATIVES}s? of yours\b|\b{_LINK_ROLES}s? of yours\b",
    rf"\b(?:I{_APOS}m|I am|I was|I used to be) your\b",
    rf"\byou (?:were|are|{_APOS}re|used to be) (?:my|our)\b",
    rf"\byou(?:{_APOS}ve| have)? (?:taught|coached|supervised|mentored|managed|trained|tutored|interviewed|hired|"
    r"helped|advised|examined|treated|lectured) (?:me|my|us)\b",
    r"\b(?:former|old|ex-) (?:colleague|co-?worker|teammate|classmate|boss|manager|intern)s?\b",
    r"\bwe (?:used to |once )?(?:work(?:ed)? together|live[d]? (?:next door|nearby|on the same)|grew up together)\b",
    r"\bneighbou?rs\b",
    r"\bI (?:was|worked as) (?:your|a) (?:\w+ )?(?:intern|student|TA|trainee|mentee|assistant)\b[^.?!]{0,30}\b(?:you|your)\b",
)
_APPOSITION = _c(  # "This is Grace Holt, your student teacher…", "I'm Sam, a friend of your son…"
    rf"^(?i:this is|I{_APOS}m|I am|it{_APOS}s|my name is|my name{_APOS}s)\s+[A-ZÀ-Ý(][\w'’)-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){{0,3}},"
    rf"\s+(?i:your|a|an|the|one of your) (?i:[\w-]+ ){{0,3}}(?i:{_LINK_ROLES}|{_RELATIVES}|friend|neighbou?r|member|alum\w*|"
    r"graduate|colleague|teacher|volunteer|mentee)s?\b"
)
_MY_RELATIVE = _c(
    rf"\bmy (?:\w+{_APOS}s )?(?:\w+ )?(?:{_RELATIVES}|colleague|co-?worker|mentor|professor|teacher|tutor|lecturer|"
    r"supervisor|manager|boss|coach|adviser|advisor)s?\b",
    re.I,
)  # tied to you elsewhere in the sentence: "my cousin works with you", "my sister is your neighbour"

_WORK = _rx(
    # A sentence that starts from a work of theirs: "Your keynote at NursingTech…", "Your guest post in…".
    rf"^(?:and |but |so )?your (?:[\w'’&.-]+ ){{0,4}}?{_WORK_NOUNS}s?\b(?! (?:would|could|might|will)\b)",
    # "The dry-stone wall you rebuilt at Hadley Farm…", "That barn you posted…": a thing they made or did.
    r"^(?:and |but |so )?(?:the|that|this|those|these) (?:[\w'’&-]+ ){0,5}?(?:that |which )?you(?:{a}ve| have| had)?"
    r" (?:recently |once |just )?(?:\w+ed|built|rebuilt|wrote|gave|made|ran|led|drew|did|took|shot|sang|won|taught|"
    r"spoke|put together|set up|began|grew|dug|sewed|sewn|sold|brought)\b",
    # "The São Paulo team's redesign is why I'm getting in touch": a specific work of theirs, named as the reason.
    rf"^(?:the|your|that|this|those|these) (?:[\w'’&-]+ ){{0,5}}?{_WORK_NOUNS}s?\b[^.?!]{{0,40}}\b(?:is|was|are|were) "
    r"(?:why|the reason|what (?:made|prompted|brought|led|got))\b",
    rf"\b{_ENCOUNTER}\b[^.?!]{{0,40}}\byour (?:[\w'’-]+ ){{0,3}}?{_WORK_NOUNS}s?\b",
    rf"\byour (?:[\w'’-]+ ){{0,3}}?{_WORK_NOUNS}s?\b[^.?!]{{0,80}}\b(?:{_ENCOUNTER}|{_IMPRESSION})\b",
    rf"\bthe (?:[\w'’-]+ ){{0,3}}?{_WORK_NOUNS}s? (?:that )?you (?:gave|wrote|published|did|presented|hosted|posted|"
    r"shared|led|ran|made|built|co-?authored|recorded|delivered|taught|organi[sz]ed)\b",
    r"\b(?:heard|saw|watched|caught|listened to) you (?:speak|talk|present|on|at|in|give|discuss|explain|"
    r"interviewed|being|host|moderate|demo)\b",
    r"\b(?:read|loved|enjoyed|followed|been following|bookmarked) (?:all |some |one )?(?:of )?(?:you|your)"
    r"(?:r)? (?:writing|writings|posts|articles|work on|thoughts on|take on|piece|words)\b",
    # Something specific of theirs the sender learned about: "I've read about the fridge network you coordinate".
    r"\b(?:read|heard|learned|learnt) about (?:the |your )(?:[\w'’&-]+ ){0,4}?(?:that |which )?you (?:\w+ed|built|"
    r"founded|run|ran|lead|led|coordinate|started|set up|wrote|made|manage|designed)\b",
)

_PLEASANTRY = _c(
    r"^(?:I )?(?:hope|trust)(?:s)? (?:you|this|that|all|your|you{a}re|things|everything|the)\b|"
    r"^how are (?:you|things)\b|^happy (?:monday|tuesday|wednesday|thursday|friday|new year|holidays)\b|"
    r"^I hope (?:you|your|all|this)\b|"
    r"^(?:good (?:morning|afternoon|evening|day)|hello|hi|hey)\b[^.?!]{0,20}[.?!]*$|"
    r"^(?:is (?:this|that)|am I (?:speaking|talking) (?:with|to)|do I have|have I reached|could I speak (?:with|to)) "
    r"[^?!]{1,40}\?$|"
    r"^(?:(?:Mr|Ms|Mrs|Mx|Dr|Prof|Professor|Sir|Madam)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}\s*[?.!,]+$",
    re.I,
)
_PLEASANTRY_PREFIX = _c(r"^(?:good (?:morning|afternoon|evening|day)|hello|hi|hey)\b[^,.!?]{0,20}[,.!]\s*", re.I)
_NAME_INTRO = _c(
    rf"^(?i:this is|my name is|my name{_APOS}s|I{_APOS}m|I am|it{_APOS}s|I am called)\s+"
    rf"[A-ZÀ-Ý][\w'’.-]*(?:\s+[A-ZÀ-Ý][\w'’.-]*){{0,3}}[.!]?$"
)


@functools.lru_cache(maxsize=2048)
def _connection_match(sentence: str) -> re.Match[str] | None:
    """The phrase that says what links sender and recipient, if this sentence has one."""
    for pattern in _REFERRAL:
        for referral in pattern.finditer(sentence):
            before = sentence[: referral.start()]
            if _REFERRAL_SELF.search(before) and not re.match(r"(?:was|were|have been|got) ", referral.group(0)):
                continue  # "I thought you would…", "I suggested…": the sender, not a referrer
            return referral
    found = _search(_SHARED, sentence) or _search(_MET, sentence) or _search(_RELATION, sentence)
    if found:
        return found
    apposition = _APPOSITION.search(_GREETING.sub("", _PLEASANTRY_PREFIX.sub("", sentence)))
    if apposition:
        return apposition
    mine = _MY_RELATIVE.search(sentence)
    if mine and _you_count(sentence[mine.end() :] + " " + sentence[: mine.start()]):
        return mine
    return _search(_WORK, sentence)


def _is_theirs(sentence: str) -> bool:
    return bool(_search(_WORK, sentence))


# The ask, and time -----------------------------------------------------------------------------------------

_REQUEST_CUE = _c(
    r"\b(?:would|could|can|might|may|will|shall) (?:you|i|we|it|there)\b|"
    r"\bare you (?:open|willing|free|available|up for|able|around|happy|interested)\b|\bdo you have\b|"
    r"\bis there (?:a|any) (?:chance|time|way|slot)\b|\bwould it be (?:possible|ok|okay|alright)\b|"
    rf"\bI(?:{_APOS}d| would) (?:really |so |very much )?(?:love|like|welcome|appreciate|value|be (?:grateful|thankful|"
    r"delighted|glad|happy|honou?red|keen))\b|"
    rf"\bI (?:was|am|{_APOS}m) (?:hoping|wondering|keen|eager)\b|\bI (?:hope|hoped|had hoped) (?:we|you) (?:can|could|might)\b|"
    rf"\blet{_APOS}s\b|\bplease\b|\bkindly\b|\blet me know\b|"
    rf"\bI(?:{_APOS}m| am) (?:writing|reaching out|getting in touch|emailing|messaging) (?:to|in the hope)\b|"
    r"\bif you (?:have|could|can|are|'re|’re|might|would|had)\b|\bany chance\b|\bhow about\b|\bwhat about\b|"
    r"\bwonder(?:ing)? (?:if|whether)\b|\bare you up\b|\bfancy\b|\bit would be (?:great|wonderful|lovely|amazing)\b",
    re.I,
)
_MEETING = _c(
    r"\b(?:call|calls|chat|chats|coffee|tea|cuppa|lunch|breakfast|meet|meeting|meetup|conversation|talk|speak|"
    r"phone|video|zoom|teams|skype|hangout|catch[- ]up|minutes?|mins?|hours?|questions|pick your brain|"
    r"introduc\w*|connect|sit down|shadow\w*|visit|session|walk|(?:spare|have|find|make) (?:some |the )?time|"
    r"your time)\b",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25, "twenty five": 25,
    "thirty": 30, "thirty-five": 35, "forty": 40, "forty-five": 45, "forty five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
    "several": 3, "an": 1, "a": 1,
}  # fmt: skip
_NUM = r"(?:\d{1,3}(?:\.\d)?|" + "|".join(sorted((re.escape(k) for k in _NUMBER_WORDS), key=len, reverse=True)) + ")"
_RANGE = rf"(?P<a>{_NUM})(?:\s*(?:-|–|—|to|or|/)\s*(?P<b>{_NUM}))?"
_FIXED = (
    (_c(r"\b(?:an|one) hour and a half\b|\b(?:one and a half|1\.5) hours?\b|\bninety minutes\b", re.I), 90),
    (_c(r"\b(?:a )?quarter(?: of an|-an)? hour\b|\bquarter-hour\b", re.I), 15),
    (_c(r"\bhalf(?: an|-an)? hour\b|\ba half[- ]hour\b|\bhalf-hour\b|\bhalf hour\b", re.I), 30),
    (_c(r"\bhour-long\b|\ban hour{a}s\b", re.I), 60),
)
_MINUTES = _c(rf"\b{_RANGE}(?:\s+|-)?(?:minutes?|mins?|min)\b\.?", re.I)
_HOURS = _c(rf"\b{_RANGE}(?:\s+|-)?(?:hours?|hrs?|hr)\b", re.I)
_LONG = _c(
    r"\b(?:a|an|a full|a whole|the whole|the entire|an entire|half a|a half|a couple of|a few|two|several)"
    r"[\s-]+(?:(?:full|whole|entire|half)[\s-]+)?(?:days?|afternoons?|mornings?|evenings?|weeks?|weekends?|half-day)\b"
    r"(?!\s*(?:call|chat|coffee|meeting|slot|walk|session|phone|video|zoom|break|tea|off\b|in the life|to day|or two|"
    r"job|trip|-to-day))",
    re.I,
)
_NOT_AN_ASK_BEFORE = _c(
    r"(?:\b(?:spent|took|in|within|after|every|each|past|last|nearly|ago|over the|"
    r"for the (?:past|last)|next|the next|once|twice|wasted|lost|commute|drive|minutes?|hours?|times)|\d)\s+$",
    re.I,
)
_NOT_AN_ASK_AFTER = _c(
    r"^\s*(?:ago|away|from|drive|walk|commute|late|early|each|per|a (?:day|week|month)|of (?:reading|"
    r"listening|watching|travel)|reading|listening|shift|shifts|rota|a week|from now|later|notice|ahead)\b",
    re.I,
)
_IN_PERSON = _c(
    r"\b(?:coffee|tea|cuppa|lunch|breakfast|brunch|in person|in-person|face[- ]to[- ]face|stop by|drop by|come by|"
    r"visit|your office|near your|grab|buy you|walk|meet up|meet in|meet at|meet near|a drink|pint)\b",
    re.I,
)
_REMOTE = _c(
    r"\b(?:call|calls|phone|video|zoom|teams|skype|google meet|facetime|virtual(?:ly)?|online|remote(?:ly)?|"
    r"on the line|hangout|webex|whatsapp)\b",
    re.I,
)
_COFFEE = _c(
    r"\b(?:a |for |over |grab |buy you |treat you to |share )(?:a )?(?:quick |short |brief |)(?:coffee|cup of coffee|"
    r"cup of tea|tea|cuppa|lunch|breakfast|brunch|drink)\b",
    re.I,
)
_VAGUE = _c(
    r"\b(?:a (?:bit|little|moment|few moments|minute|second|sec|little while|short while|while)(?: of your time)?|"
    r"some of your time|a (?:few|couple of) minutes|a (?:quick|short|brief|small|little) (?:call|chat|"
    r"conversation|word|meeting|talk|catch[- ]up|phone call|video call|zoom|slot)|briefly|"
    r"a (?:short|small) amount of (?:your )?time)\b",
    re.I,
)
_SHADOW = _c(r"\bshadow(?:ing)?\b", re.I)


@dataclass(frozen=True)
class _Amount:
    phrase: str
    minutes: float
    in_person: bool


def _number(text: str) -> float:
    text = text.lower().strip()
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return 0.0


def _mode_in_person(sentence: str, body_in_person: bool) -> bool:
    """Whether the ask in this sentence is in person; the draft as a whole decides when the sentence doesn't say."""
    if _REMOTE.search(sentence):
        return bool(re.search(r"\bin person\b|\bin-person\b|\bor (?:a )?coffee\b", sentence, re.I)) and not re.search(
            r"\bvirtual|zoom|video\b", sentence, re.I
        )
    if _IN_PERSON.search(sentence) or re.search(r"\bmeet\b", sentence, re.I):
        return True
    return body_in_person


def _amounts(sentence: str, body_in_person: bool) -> list[_Amount]:
    out: list[_Amount] = []
    masked = sentence
    in_person = _mode_in_person(sentence, body_in_person)

    def keep(match: re.Match[str]) -> bool:
        before, after = sentence[max(0, match.start() - 40) : match.start()], sentence[match.end() : match.end() + 40]
        return not _NOT_AN_ASK_BEFORE.search(before) and not _NOT_AN_ASK_AFTER.match(after)

    for pattern, minutes in _FIXED:
        for found in pattern.finditer(masked):
            if keep(found):
                out.append(_Amount(found.group(0), minutes, in_person))
        masked = pattern.sub(lambda m: "#" * len(m.group(0)), masked)
    for pattern, scale in ((_MINUTES, 1), (_HOURS, 60)):
        for found in pattern.finditer(masked):
            if not keep(found):
                continue
            low, high = _number(found.group("a")), _number(found.group("b") or found.group("a"))
            if re.match(r"(?:a|few|a few|several)\b", found.group("a"), re.I) and scale == 1:
                continue  # "a few minutes": vague, not an amount
            out.append(_Amount(found.group(0).strip(" ."), max(low, high) * scale, in_person))
        masked = pattern.sub(lambda m: "#" * len(m.group(0)), masked)
    for found in _LONG.finditer(masked):
        before = sentence[max(0, found.start() - 40) : found.start()]
        after = sentence[found.end() : found.end() + 40]
        asked = re.search(
            r"\b(?:for|spend|spare|give|have|borrow|take|need|join you|with you|up to|about|nearly|almost|whole|"
            r"entire|full)\s+$",
            before,
            re.I,
        ) or re.match(
            r"\s*(?:shadowing|with you|of your time|free|off|at your|in your|on site|on the job)\b", after, re.I
        )
        if not keep(found) or not asked:
            continue  # "in a few days", "organise a day", "even a weekend": not an amount asked of them
        out.append(_Amount(found.group(0), 240, in_person))
    return out


def _is_ask(sentence: str) -> bool:
    return bool(
        (_REQUEST_CUE.search(sentence) or sentence.rstrip().endswith("?"))
        and (_MEETING.search(sentence) or _MINUTES.search(sentence) or _COFFEE.search(sentence))
    )


# Jobs -------------------------------------------------------------------------------------------------------

_SEEK = (
    r"(?:get|getting|land|landing|find|finding|secure|securing|offer|offering|apply(?:ing)? for|looking for|"
    r"look for|seeking|seek|searching for|hoping for|hope for|ask(?:ing)? about|fill|filling|chase|chasing|"
    r"on the lookout for|hunting for|in search of|consider me for|considering me for)"
)
_JOB_PATTERNS = _rx(
    rf"\b{_SEEK} (?:a |an |any |the |some |new |my first |my next |the next |one of your |future )?(?:[\w-]+ ){{0,2}}?(?:jobs?|roles?|"
    r"positions?|internships?|placements?|traineeships?|apprenticeships?|employment|openings?|"
    r"vacanc(?:y|ies)|contracts?|gigs?)\b",
    r"\b(?:job|career|employment|work|internship|hiring|open|any|available|upcoming|future|current) "
    r"opportunit(?:y|ies)\b",
    r"\bopportunit(?:y|ies) (?:at|on|in|with|within) (?:your|the|you)\b(?! (?:field|industry|sector|area))",
    r"\bopportunit(?:y|ies) (?:for (?:me|someone like me|people like me|graduates|juniors)|(?:that )?(?:come|comes|"
    r"open|opens|arise|arises|become|becomes) (?:up|available))\b",
    r"\b(?:job|jobs|job-hunting|jobhunting|job hunt|job search|job-search|job offer|job posting|job ad)\b",
    r"\bopenings\b|\b(?:an|any|job|open|new) opening\b|\bopening (?:on|in|at|for|with) (?:your|the)\b",
    r"\bvacanc(?:y|ies)\b",
    r"\b(?:open|available|vacant|any) (?:roles?|positions?)\b|\b(?:any|open|available) (?:[\w-]+ )?(?:roles|positions) "
    r"(?:on|at|in|with|within) (?:your|the)\b",
    r"\b(?:roles?|positions?|posts?) (?:open(?:ing)?(?: up)?|available|coming up|going|vacant|advertised)\b",
    r"\b(?:a|any|the) (?:[\w-]+ ){0,2}?(?:roles?|positions?|posts?|internships?|placements?) "
    r"(?:for me|on|at|in|with|within) (?:your|you)\b(?! (?:field|industry|sector|area|world|profession))",
    r"\b(?:internships?|placements?|traineeships?|apprenticeships?) (?:at|on|with|in|within) (?:your|you)\b",
    r"\b(?:hiring|hire me|hire someone|get hired|be hired|hire (?:people|new|junior|graduates))\b",
    r"\brecruiters?\b|\brecruit me\b|\b(?:the|your|a) recruit(?:ing|ment)(?: (?:team|process|round|drive))?\b(?! of)",
    r"\b(?:apply|applying|applied) (?:for|to|at)\b",
    r"\bapply(?:ing)? (?:now|soon|next|this|there|again|online)\b",
    r"\b(?:my|job|an|submitted|submit|submitting|send|sent|sending) applications?\b(?! of\b)",
    r"\bapplications? (?:for|process|portal|form|deadline|window)\b",
    r"\b(?:cvs?|c\.v\.|r[ée]sum[ée]s?|resum[ée]s?)\b",
    r"\b(?:my|a|the|your|attached|updated|our) resumes?\b|\bresumes? (?:is )?attached\b",
    r"\breferrals?\b(?! to (?:someone|anyone|others|other people|a colleague|colleagues|people|another|the right "
    r"person|a peer))",
    r"\brefer me (?:for|to (?:a|an|the|any) (?:[\w-]+ )?(?:role|position|job|opening|recruiter|hiring|team))\b|"
    r"\brefer me internally\b",
    r"\bput in a (?:good )?word\b|\bput a good word\b|\b(?:a )?good word for me\b|\ba word from you\b|"
    r"\b(?:a|put in a) word (?:with|to) (?:your|the|them|him|her)\b",
    r"\b(?:keep|bear|have) me in mind\b|\bthink of me\b|\bkeep an eye out for me\b|\bremember me (?:if|when|for)\b",
    r"\bif (?:anything|something|a role|a position|an opening|a spot|a place|anything suitable|a vacancy) "
    r"(?:\w+ )?(?:comes? up|opens? up|becomes? available|turns up|pops up|arises|comes? (?:later|along|your way))\b",
    # A place that might open: "any coordinator spots might open up", "positions might be opening".
    r"\b(?:spots?|places?|roles?|positions?|posts?|openings?|vacanc(?:y|ies)|jobs?)\b[^.?!]{0,25}"
    r"\b(?:open(?:s|ing)? up|(?:might|may|could|will|to) (?:be )?open(?:ing)?|becom(?:e|es|ing) (?:free|available)|"
    r"free(?:s|ing)? up|coming up)\b",
    r"\b(?:any|open|available|vacant) (?:[\w-]+ ){0,2}(?:positions|vacancies|openings)\b",
    # Their side taking people on: "does your shop take on apprentices?", "bringing on graduates", "staffing up".
    r"\b(?:take|takes|taking|bring|brings|bringing) on (?:any |new |more |extra |junior )?(?:(?!your\b|their\b|his\b|"
    r"her\b|the\b)[\w-]+ ){0,2}(?:apprentices?|interns?|trainees?|graduates|grads|staff|new people|hires|juniors|"
    r"nurses|engineers|developers|designers|analysts|teachers|assistants|researchers)\b",
    # Room for one more: "room for a research assistant", "space for a junior on your crew".
    r"\b(?:room|space|a place|a spot|a slot|capacity|an opening) for (?:a|an|another|one more) (?:[\w-]+ ){0,2}?"
    r"(?:junior|intern|apprentice|trainee|graduate|assistant|nurse|hand|\w+(?:er|or|ist|ant))\b",
    r"\b(?:available|able|ready|free) to start\b|\bstart (?:immediately|right away|straight away)\b|\bnotice period\b",
    r"\bconsider(?:ing)? me (?:for|if|when)\b",
    r"\bany (?:\w+ )?apprentice(?:ship)?s?\b",
    r"(?<!\bI )(?<!\bwe )\b(?:is|are|be|was|were) (?:looking for|seeking|recruiting|after) (?:anyone|someone|people|staff|new (?:\w+ )?(?:people|"
    r"staff|hires)|more (?:\w+ )?(?:people|staff|hands))\b",
    r"\b(?:if|in case|whenever|should)\b[^.?!]{0,40}\b(?:needs?|is looking for|are looking for|could use|has room for)"
    r" (?:a|an|another|more|someone|anyone|extra|help|people|staff)\b",
    r"\b(?:I{a}d|I would) (?:love|like|be (?:keen|glad|happy|thrilled)) to be (?:a )?part of (?:that|it|this|your|the team)\b",
    # The sender on the market: "between gigs", "my next thing", "any leads", "I'm looking", "on the market".
    r"\bbetween (?:gigs|jobs|roles|contracts|positions|projects)\b|\bon the (?:job )?market\b|\bany leads\b|"
    r"\bleads are (?:very )?welcome\b",
    r"\b(?:looking for|seeking|hunting for|on the hunt for|searching for) (?:my|the|a) next (?:[\w-]+ )?(?:thing|role|step|move|gig|"
    r"opportunity|position|challenge|job|chapter)\b",
    r"\bI{a}m (?:currently |actively |now )?looking\b(?! (?:at|for|into|forward|to|up|through|over|around|back|"
    r"ahead|closely|more)\b)",
    r"\bkeep my (?:details|cv|c\.v\.|r[ée]sum[ée]|resume|name|info|contact|information|profile|application)\b|\bon file\b",
    r"\bpass my \w+ (?:along|on)\b|\b(?:pass|passing|forward|forwarding|send|share) (?:along |on )?my (?:name|cv|c\.v\.|"
    r"r[ée]sum[ée]|resume|details|profile|info|application)\b",
    r"\bfoot in the door\b|\bget my foot\b",
    r"\bemployment\b|\bemploy(?:ing)? (?:me|someone|people|graduates)\b|\bemployed by you\b",
    rf"\b(?:I(?:{_APOS}d| would)? (?:love|like|hope|want|aim|plan)s? to|hoping to|chance to|my goal is to|dream of|"
    r"my dream is to|aiming to|want to|wish to|keen to) (?:one day |someday |eventually |soon )?(?:join|joining|"
    r"intern(?:ing)? (?:with|for|at|under)|volunteer(?:ing)? (?:with|for|at|under)|"
    r"work (?:for|at|with|on)|working (?:for|at|with))\s+(?:you|your(?: \w+)?|the team)\b",
    r"\binterview (?:with|at|for) your (?:company|team|firm|organi[sz]ation)\b|"
    r"\b(?:get|land|secure|grant me|offer me) (?:an |a )?(?:job )?interview\b",
    r"\bvouch(?:ing)? for me\b|\brecommend me (?:for|to)\b|\bget me into\b|\bget into your (?:company|firm|team|organi[sz]ation)\b",
    r"\b(?:looking for|seeking|find|finding|searching for) (?:a |new |paid |full-time |part-time )?(?:work|employment)\b",
    r"\bopen doors? for me\b|\bhelp me (?:get|land|find) (?:a|an|in)\b",
)
_JOB_CURIOSITY = _c(
    r"\b(?:your|their|his|her|the|that|this|my)(?: (?:current|day-to-day|daily|first|previous|old|last|own))? "
    r"(?:job|jobs)\b(?! (?:search|hunt|offer|posting|ad|application|opening|openings|opportunit\w*))|"
    r"\bjob (?:title|satisfaction|shadowing|site)\b|\ba job like yours\b|\bwhat (?:a|the|your|their) (?:[\w-]+ ){0,2}job\b|"
    r"\bthe job of\b|\bjob (?:is|was) like\b|\b(?:typical|average|normal|usual|good|great|tricky|hard|big|small) jobs?\b|"
    r"\b(?:the|that|this|those|these|your|their) (?:[\w-]+ ){0,2}jobs?\b(?! (?:search|hunt|offer|posting|ad|application))",
    re.I,
)


def _job_phrase(sentence: str) -> str | None:
    """The longest job-ask phrase in the sentence (the most telling one to quote), if any."""
    phrases: list[str] = []
    for pattern in _JOB_PATTERNS:
        for found in pattern.finditer(sentence):
            phrase = found.group(0)
            if re.fullmatch(r"jobs?", phrase, re.I):
                around = sentence[max(0, found.start() - 30) : found.end() + 25]
                if _JOB_CURIOSITY.search(around) and not re.search(rf"\b{_SEEK}\b", around, re.I):
                    continue  # "what your job looks like": curiosity about the role
            phrases.append(phrase)
    return max(phrases, key=len) if phrases else None


# Thanks and flexibility ------------------------------------------------------------------------------------

_THANKS = _c(
    r"\b(?:thank|thanks|thx|thnx|ty|tysm|thank u|thankful|thanking|grateful|gratefully|appreciated|appreciative|"
    r"appreciat(?:e|es|ing)\b(?! (?:how|what|why|where|the (?:complexity|difficulty|challenges?|nuances?|scale)))|"
    r"(?:my|with|in|deep|sincere|heartfelt|express(?:ing)?|show(?:ing)?) (?:\w+ )?(?:gratitude|appreciation)|"
    r"(?:gratitude|appreciation) (?:for|to) (?:you|your)|much obliged|obliged|indebted|many thanks|cheers for|merci|"
    r"danke|gracias)\b",
    re.I,
)
_NOT_THANKS = _c(r"\bthanks to (?!you\b)|\bno thanks?\b|\bthankfully\b", re.I)

_FLEX = _rx(
    r"\b(?:around|to|with|into|in with|within) (?:your|their) (?:busy |packed |full )?(?:schedule|calendar|diary|"
    r"availability|time ?zone|timetable|commitments|agenda|day|week|plans|hours)\b",
    r"\b(?:fit|fits|fitting|adapt|adjust|accommodate|flex|bend)\w*\b[^.?!]{0,30}\b(?:your|their|you|them)\b",
    r"\baround (?:your|their|you|them|whatever|whenever|what)\b",
    r"\b(?:suits?|suited|works?|fits?|convenient|best|good|easiest|easier|right|possible|preferable|ideal|free|"
    r"better|comfortable) (?:best )?(?:for )?(?:you|them|her|him)\b",
    r"\b(?:time|times|day|days|slot|slots|date|dates|moment|hour|week|whenever|whatever|when|what)\b[^.?!]{0,20}\b"
    r"(?:suits|suit|works|fits|is best|is easiest|is convenient|is good|would work|might work|could work)\b",
    r"\b(?:your|her|his|their) convenience\b|\bof (?:your|her|his|their) (?:choosing|choice)\b|\bconvenient\b|\bat your leisure\b|\byour availability\b|\bwhen you(?:{a}re| are) "
    r"(?:free|available)\b|\bwhen you have (?:a|some) (?:moment|minute|gap|window)\b",
    r"\b(?:whenever|anytime|any ?time)\b",
    r"\bany (?:day|slot|time|date|hour|morning|evening|weekday|afternoon|week)s?\b",
    r"\b(?:slot|time|day|date|hour|moment|place|format|option|channel|platform|whatever|whichever|what)s?\b"
    r"[^.?!]{0,20}\byou(?:{a}d| would)? (?:prefer|choose|pick|name|like|suggest|want)\b",
    r"\byou (?:name|pick|choose) (?:the|a) (?:time|day|date|slot)\b|\b(?:name|pick|choose|suggest) (?:a|the|any) "
    r"(?:time|day|date|slot|place)\b(?! (?:from|on|in) my)|\byour (?:choice|preference|call)\b",
    r"\bflexib(?:le|ility)\b|\bwork around you\b|\bfit (?:around|in with) you\b",
    r"\b(?:early|late|before or after|outside (?:of )?(?:your |normal |usual |regular )?(?:working|work|business|"
    r"office) hours|after (?:hours|work)|before work|evenings?|weekends?|early mornings?|mornings?|lunch ?times?|"
    r"lunch ?breaks?|nights?|early or late|late or early)\b[^.?!]{0,30}\b(?:fine|ok|okay|great|possible|"
    r"happy|glad|no problem|welcome|works? (?:for me|fine|too|well|just as well)|too|as well|also|included)\b",
    r"\b(?:happy|glad|able|willing|can|could|will|I{a}ll|I{a}m (?:happy|glad|able|willing)) (?:to )?(?:make|do|meet|"
    r"talk|call|join|take)\b[^.?!]{0,30}\b(?:evenings?|weekends?|early mornings?|mornings?|lunch ?times?|"
    r"nights?|early|late|work|any time|anytime|outside)\b",
    r"\b(?:even|including|incl\.?) (?:outside|before|after|evenings?|weekends?|early|late|lunch|on)\b",
    r"\bearly or late\b|\bmorning or evening\b|\bday or night\b|\bwhatever works\b|\bwhat works\b",
)
_IMPOSE = _c(
    rf"\b(?:I(?:{_APOS}m| am) only (?:free|available|around)|I can only (?:do|make|meet|talk|call)|only (?:free|"
    r"available) (?:on|at|in|between)|it (?:has|needs|would have|will have) to be|must be (?:on|at|before|after)|"
    r"the only (?:time|day|slot|window)|(?:slots?|times?|windows?) I(?:{a}ve| have)? (?:opened|open|available|free|"
    r"set aside)|my (?:booking|calendar|calendly|scheduling) (?:page|link)|no other (?:time|day)|not available (?:any ?time )?(?:except|other than)|"
    r"I{a}ll call you (?:on|at)|expect (?:you|your call) (?:on|at)|see you (?:on|at) \w+ at)\b|"
    r"\b(?:let{a}s|we{a}ll|we will|I{a}ll|I will|shall we say|see you)\b[^.?!]{0,40}\b(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|tomorrow|tonight|noon|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|at \d{1,2}\b)",
    re.I,
)
_SPECIFIC_TIME = _c(
    r"\b(?:on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\btomorrow\b|\btonight\b|"
    r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\bat \d{1,2}(?::\d\d)?\b|\bat noon\b",
    re.I,
)


# About them, sentence by sentence --------------------------------------------------------------------------

_LEAD_WORDS = _c(
    r"^(?:(?:and|but|so|also|plus|then|now|currently|recently|honestly|actually|lately|today|ultimately|mostly|"
    r"especially|in particular|ideally|above all|personally|frankly|anyway|still|yet|meanwhile|oh|well|ps|p\.s\.)"
    r"\b[,:]?\s+)+",
    re.I,
)
_SUBORDINATE = _c(
    r"^(?:as|since|because|while|whilst|after|before|when|although|though|having|being|with|given|like|unlike|"
    r"in|at|during|for|from|over|through|following|outside|besides|coming|if|once|until|despite|on|by|"
    r"after|beyond|alongside|ahead of|now that|so that|even though|seeing)\b[^,]{0,120},\s*",
    re.I,
)
_PERSPECTIVE = (
    r"(?:hear|hearing|learn|learning|know|understand|ask|asking|discuss|talk about|chat about|pick your brain|"
    r"get your|benefit from|value|admire|admired|enjoy|enjoyed|love|loved|like|liked|read|heard|saw|watched|"
    r"listened|follow|followed|following|noticed|came across|found|struck|impressed|inspired|moved|curious|"
    r"interested|fascinated|intrigued|wonder|wondering|wondered|keen|eager|excited|looking forward|hoping|"
    r"hope|want|wanted|appreciate|grateful|thrilled|drawn|particularly|especially|really|very|would|'d|’d|"
    r"be|am|was|have|'ve|’ve|'m|’m|been|also|always|still)"
)
_I_SUBJECT = _c(rf"^(?:I|I{_APOS}m|I{_APOS}d|I{_APOS}ve|I{_APOS}ll|me|my|mine|myself)\b", re.I)
_I_PERSPECTIVE = _c(
    rf"^(?:I|I{_APOS}m|I{_APOS}d|I{_APOS}ve|I{_APOS}ll|my (?:question|hope|curiosity|interest|aim) is)\b"
    rf"(?:\s+(?:{_PERSPECTIVE}|to|by|in|about|of|the|a|an|so|much|more|most))*\s+"
    r"(?:to (?:hear|learn|know|understand|ask|discuss|talk|chat|get|pick|benefit|find out|explore|see)|"
    r"(?:about|by|in|with|from|how|what|why|which|whether|if|that) |"
    r"(?:admire|admired|enjoy|enjoyed|love|loved|liked|read|heard|saw|watched|listened|followed|noticed|value|"
    r"appreciate|understand|gather|hear|see|know|learned|learnt|remember|reading|following|watching|listening|"
    r"thought of|think of|found|came across|come across|discovered|stumbled on|stumbled upon|spotted)\b)"
    r"[^.?!]{0,80}\b(?:you|your|yours|you{a}(?:re|ve|d)|she|he|her|him|his|they|them|their)\b",
    re.I,
)
_I_REACTION = _c(  # "I'm amazed at how fast it has grown", "I find that story fascinating"
    rf"^I(?:{_APOS}m| am| was|{_APOS}ve been| have been| remain)? (?:really |so |truly |still |just )?(?:amazed|astonished|"
    r"struck|impressed|inspired|moved|blown away|in awe|fascinated|intrigued|touched) (?:at|by|with|of) (?:how|what|"
    r"the way|your|you|it|that|this|those|these)\b|"
    r"^I (?:find|found|think|thought|consider|considered) (?:that|this|these|those|your|it|the way you)\b[^.?!]{0,40}"
    r"\b(?:fascinating|inspiring|remarkable|impressive|interesting|brilliant|amazing|incredible|admirable|striking|"
    r"useful|helpful|clever|smart|great|excellent|wonderful|moving|powerful|thoughtful|eye-opening|gripping)\b",
    re.I,
)
_I_ACKNOWLEDGE = _c(  # "I know messages pile up quickly": their situation, not the sender's story
    rf"^I(?:{_APOS}m| am)? (?:really |fully |completely )?(?:know|realise|realize|understand|imagine|can imagine|gather|"
    r"suspect|expect|bet|appreciate|am aware|{a}m aware|recogni[sz]e) (?:that |how |this )?",
    re.I,
)
_I_OFFER = _c(  # "I could share my survey results": something to offer in return, not the sender's story
    rf"^I(?:{_APOS}d| would| could| can|{_APOS}ll| will)(?: be (?:happy|glad|delighted) to)?(?: gladly| happily)? "
    r"(?:share|send|offer|pass on|return the favou?r|help|lend|introduce you|give you|show you)\b|"
    rf"^I(?:{_APOS}m| am)? (?:happy|glad|delighted) to (?:share|send|offer|pass on|return the favou?r|help|lend)\b",
    re.I,
)
_YOU_SUBJECT = _c(rf"^(?:you|your|yours|you{_APOS}(?:re|ve|d|ll))\b", re.I)
_WE_SUBJECT = _c(r"^(?:we|us|our|both of us)\b", re.I)
_REQUEST_FORM = _c(r"^(?:would|could|can|might|may|will|shall|are|do|did|is|were) (?:you|it|there|i|we)\b", re.I)
_QUESTION_ABOUT_THEM = _c(
    r"\b(?:how|what|why|which|where|when|whether) (?:you|your)\b|\byour (?:path|experience|work|team|view|views|"
    r"advice|take|perspective|thoughts|journey|career|role|day|story|insights?|approach|decision|move|switch|"
    r"transition|background|field|research)\b",
    re.I,
)
_GERUND_ABOUT = _c(
    r"^(?:hearing|learning|understanding|knowing|seeing|getting) (?:about|how|what|why|from|more|your)\b", re.I
)
_CLAUSE_SPLIT = _c(
    r";\s*|:\s+|,\s*(?:and|but|so|yet|while|whereas|which is why)\s+|\s+(?:and|but|so) (?=(?:I|my|you|your)\b)|"
    r"\s+[–—-]\s+",
    re.I,
)
_PRONOUN_SUBJECT = _c(rf"\b(?:I|I{_APOS}(?:m|ve|d|ll)|we|we{_APOS}(?:re|ve|d|ll))\b", re.I)  # the sender's own clause
# "I'm a law student and would love to hear…": the second half is a clause of its own, with "I" understood.
_AND_VERB = _c(
    r"\s+(?:and|but) (?=(?:would|could|am|was|have|had|hope|want|wanted|keep|really|now|also|love|loved|am|"
    r"{a}d|can|will|plan|need|feel)\b)",
    re.I,
)
_WRITING_BECAUSE = _c(
    r"^I(?:{a}m| am) (?:writing|reaching out|getting in touch|contacting you|messaging|emailing|asking)"
    r"(?: to you)? (?:because|as|since|to say that)\s+",
    re.I,
)


def _clause_topic(clause: str) -> str | None:
    text = _LEAD_WORDS.sub("", clause.strip())
    cut = _SUBORDINATE.match(text)
    if cut and cut.end() < len(text) and not _PRONOUN_SUBJECT.search(cut.group(0)):
        text = text[cut.end() :]  # "As a student interested in UX, your view…": judge the main clause
    text = _LEAD_WORDS.sub("", text).strip(" \"'“”‘’-–—")
    text = _WRITING_BECAUSE.sub("", _GREETING.sub("", text))
    if not text or _NAME_INTRO.match(text) or _PLEASANTRY.match(text):
        return None
    if _REQUEST_FORM.match(text) or _is_ask(text):
        return "them" if _QUESTION_ABOUT_THEM.search(text) else None
    if text.endswith("?"):
        return "them"
    if _YOU_SUBJECT.match(text):
        return "them"
    if _I_SUBJECT.match(text):
        if _I_PERSPECTIVE.match(text) or _I_REACTION.match(text):
            return "them"
        return None if _I_ACKNOWLEDGE.match(text) or _I_OFFER.match(text) else "me"
    if _WE_SUBJECT.match(text):
        return None
    if _GERUND_ABOUT.match(text):
        return "them"
    you, me = _you_count(text), len(_ME.findall(text))
    if you > me:
        return "them"
    if me > you and re.search(rf"\b(?:my|I{_APOS}m|I am|I have|I{_APOS}ve)\b", text, re.I):
        return "me"
    return None


def _topics(sentence: str) -> list[str]:
    """Whom a sentence is about, clause by clause: "them" (the recipient) or "me" (the sender).

    Greeting-like lines, thanks, the ask, scheduling and the connection itself are about neither. Each clause
    is judged by its subject and topic ("I'd love to hear how you…" is about them); a sentence counts on
    every side one of its clauses is on.
    """
    if _THANKS.search(sentence) or _PLEASANTRY.match(sentence) or _NAME_INTRO.match(sentence):
        return []
    if _is_ask(sentence) or (_search(_FLEX, sentence) and len(_words(sentence)) < 20):
        # The ask is about neither, unless it names what they'd talk about: "how you moved into QA".
        return ["them"] if re.search(r"\b(?:how|what|why|which|whether) (?:you|your)\b", sentence, re.I) else []
    if _is_theirs(sentence):
        return ["them"]  # "I read your paper on…": a work of theirs
    clauses: list[str] = []
    for part in _CLAUSE_SPLIT.split(sentence):
        pieces = _AND_VERB.split(part)
        clauses += [pieces[0]] + ["I " + p for p in pieces[1:]]
    # The clause that says what links you is about neither; the rest of the sentence still counts.
    return [t for c in clauses if c.strip() and not _connection_match(c) for t in [_clause_topic(c)] if t]


def _topic(sentence: str) -> str | None:
    """The sentence's side when all its clauses agree, else None."""
    topics = set(_topics(sentence))
    return topics.pop() if len(topics) == 1 else None


# Placeholders ----------------------------------------------------------------------------------------------

_HTML_TAGS = frozenset(
    "a b i u s em strong br p div span ul ol li h1 h2 h3 h4 h5 h6 blockquote code pre tg-spoiler small sub sup hr "
    "img table tr td th font mark del ins strike tt big center section article header footer nav".split()
)
_STAND_IN = (
    r"(?:(?:your|their|my|recipient{a}?s?|contact{a}?s?|person{a}?s?|company|first|last|full|hiring manager{a}?s?)\s+)?"
    r"(?:name|first name|last name|surname|company(?: name)?|organi[sz]ation|employer|role|job title|title|position|"
    r"school|university|college|date|time|field|industry|email|phone(?: number)?|number|city|team|department|"
    r"event|mutual (?:friend|contact)|referrer|topic|article(?: title)?|programme|program|major|degree)"
    r"(?:\s+here)?"
)
_PLACEHOLDERS = (
    _c(r"\[[^\[\]\n]{1,60}\](?!\()"),
    _c(r"\{\{?[^{}\n]{1,60}\}?\}"),
    _c(r"<<[^<>\n]{1,60}>>|«[^«»\n]{1,60}»"),
    _c(r"\bX{2,}\b"),
    _c(r"\b(?:TODO|TBD|FIXME|TKTK|INSERT)\b"),
    _c(r"_{3,}"),
    _c(r"\([A-Z][A-Z'’ _/-]{2,}\)"),
    _c(rf"\((?:(?:insert|add|enter|fill in|put)\b[^()\n]{{0,40}}|{_STAND_IN})\)", re.I),
    _c(
        r"\b(?:FIRST[ _]?NAME|LAST[ _]?NAME|FULL[ _]?NAME|YOUR[ _]NAME|MY[ _]NAME|THEIR[ _]NAME|NAME|SURNAME|"
        r"COMPANY(?:[ _]NAME)?|ORGANI[SZ]ATION|EMPLOYER|ROLE|JOB[ _]TITLE|TITLE|POSITION|SCHOOL|UNIVERSITY|COLLEGE|"
        r"FIELD|INDUSTRY|DATE|TOPIC|RECIPIENT|CONTACT|CITY|DEPARTMENT|REFERRER|MUTUAL[ _]FRIEND)\b"
    ),
    _c(
        r"\b(?:Firstname|FirstName|First_Name|Lastname|LastName|Last_Name|Fullname|FullName|Surname|"
        r"Yourname|YourName|Companyname|CompanyName|Recipientname)\b"
    ),
    _c(r"\b(?:Mr|Ms|Mrs|Mx|Dr|Prof)\.? (?:X|Y|Z|Blank|Lastname|Surname)\b(?![\w-])|\b[Cc]ompany [XYZ]\b(?![\w-])"),
    _c(r"\$[a-zA-Z_]{2,}\b|%[A-Za-z_]{2,}%"),
)
_ANGLE = _c(r"<(/?)([^<>\n]{1,60})>")


def _placeholders(body: str) -> list[str]:
    """Unfilled stand-ins in the order they appear; "Surname" inside "[Surname]" counts once."""
    spans: list[tuple[int, int]] = []
    for pattern in _PLACEHOLDERS:
        spans += [m.span() for m in pattern.finditer(body)]
    for match in _ANGLE.finditer(body):
        closing, inner = match.group(1), match.group(2).strip()
        name = inner.split()[0].lower().rstrip("/") if inner.split() else ""
        if closing or name in _HTML_TAGS or "@" in inner or "://" in inner or inner.startswith(("<", "!")):
            continue  # an HTML tag, an address or a link
        if "=" in inner and name.isalpha():
            continue  # an HTML tag with attributes
        spans.append(match.span())
    outer = [(a, b) for a, b in spans if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)]
    found: list[str] = []
    for a, b in sorted(set(outer)):
        text = body[a:b].strip()
        if text not in found:
            found.append(text)
    return found


# The review --------------------------------------------------------------------------------------------------


def _strip_subject(text: str) -> str:
    return re.sub(r"^\s*subject\s*:[^\n]*(?:\n|$)", "", text.strip(), count=1, flags=re.I).strip()


def _length(draft: _Draft, words: int, limit: int) -> Check:
    label = f"{words} words (aim for {limit} or fewer)"
    if words <= limit:
        return Check("length", True, label)
    mine = [s for s in draft.content if _topic(s) == "me"]
    longest = max(mine or draft.content or [draft.body], key=word_count)
    fix = f"Cut about {words - limit} words. Start with {_quote(longest)}: " + (
        "it's about you, and one short line of background is enough." if mine else "say it in fewer words."
    )
    return Check("length", False, label, fix)


def _connection(draft: _Draft) -> Check:
    ok_label, bad_label = "Opens with what links you", "Doesn't open with what links you"
    opening: str | None = None
    if draft.greeting and _connection_match(draft.greeting):
        return Check("connection", True, ok_label)
    for sentence in draft.content:
        if _connection_match(sentence):
            return Check("connection", True, ok_label)
        if _PLEASANTRY.match(sentence) or _NAME_INTRO.match(sentence):
            continue  # "I hope you're well.", "This is Ana.", "Is this Mr. Sato?": not yet the opening
        opening = sentence
        break
    later = next((s for s in draft.content if s is not opening and _connection_match(s)), None)
    if later:
        fix = (
            f"Your link {_quote(later)} comes too late: make it your first sentence, "
            "before anything about you or the ask."
        )
    elif opening:
        fix = (
            f"Your opening {_quote(opening)} doesn't say what links you: start with who suggested them, "
            "what you share (school, team, event), or the talk or post of theirs that brought you here."
        )
    else:
        fix = "Open with what links you: who suggested them, what you share, or the work of theirs you read or heard."
    return Check("connection", False, bad_label, fix)


def _no_job(draft: _Draft) -> Check:
    for sentence in draft.all:
        phrase = _job_phrase(sentence)
        if phrase:
            return Check(
                "no_job",
                False,
                f"Mentions a job: {_quote(phrase, 40)}",
                f"Take out {_quote(sentence)}: ask for their insight, not a job, a CV or a referral; "
                "that comes later, if at all.",
            )
    return Check("no_job", True, "No mention of jobs, résumés or referrals")


def _question(draft: _Draft) -> Check:
    asks = [s for s in draft.content if _is_ask(s)]
    if any("?" in s for s in asks) or (
        not asks and any("?" in s and _REQUEST_FORM.match(_LEAD_WORDS.sub("", s)) for s in draft.content)
    ):
        return Check("question", True, "The ask is a question")
    if asks:
        fix = (
            f"Turn {_quote(asks[0])} into a question, e.g. “Would you be open to a 20-minute call?”: "
            "a question leaves them free to say no."
        )
        return Check("question", False, "The ask isn't a question", fix)
    return Check(
        "question",
        False,
        "No ask found",
        "Ask for the conversation in a question, e.g. “Would you be open to a 20-minute call in the next few weeks?”",
    )


def _time(draft: _Draft) -> Check:
    found: list[tuple[_Amount, str]] = []
    body_in_person = bool(_IN_PERSON.search(draft.body)) and not _REMOTE.search(draft.body)
    for sentence in draft.content:
        for amount in _amounts(sentence, body_in_person):
            found.append((amount, sentence))
    too_much = [(a, s) for a, s in found if a.minutes > (IN_PERSON_MINUTES if a.in_person else CALL_MINUTES[1])]
    if too_much:
        amount, sentence = too_much[0]
        where = " in person" if _IN_PERSON.search(sentence) else " on a call" if _REMOTE.search(sentence) else ""
        return Check(
            "time",
            False,
            f"Asks for too much time: {_quote(amount.phrase, 40)}",
            f"{_quote(amount.phrase, 40)}{where} is a big ask in {_quote(sentence)}: ask for 15–30 minutes "
            "by phone or video, or up to an hour over coffee.",
        )
    too_little = [(a, s) for a, s in found if not a.in_person and a.minutes < CALL_MINUTES[0]]
    fine = [(a, s) for a, s in found if (a, s) not in too_little]
    if fine:
        return Check("time", True, f"Asks for a modest amount of time ({fine[0][0].phrase})")
    if not found:
        coffee = next(
            (s for s in draft.content if _COFFEE.search(s) and not re.search(r"\bvirtual|zoom|video", s, re.I)), None
        )
        if coffee:
            return Check("time", True, "Asks for a modest amount of time (a coffee)")
        shadow = next((s for s in draft.content if _SHADOW.search(s)), None)
        if shadow:
            return Check(
                "time",
                False,
                "Asks for too much time: shadowing",
                f"{_quote(shadow)} asks for a lot: start with a 20-minute call, and let shadowing come later.",
            )
    if too_little:
        amount, sentence = too_little[0]
        return Check(
            "time",
            False,
            f"Too short to be useful: {_quote(amount.phrase, 40)}",
            f"In {_quote(sentence)}, ask for 15–30 minutes instead: enough for a few real questions.",
        )
    vague = next(((m.group(0), s) for s in draft.content for m in [_VAGUE.search(s)] if m and _is_ask(s)), None)
    if vague:
        phrase, sentence = vague
        return Check(
            "time",
            False,
            f"Vague about the time: {_quote(phrase, 40)}",
            f"Name the amount in {_quote(sentence)}: e.g. “20 minutes by phone” instead of {_quote(phrase, 40)}.",
        )
    ask = next((s for s in draft.content if _is_ask(s)), None)
    where = f" in {_quote(ask)}" if ask else ""
    return Check(
        "time",
        False,
        "Names no amount of time",
        f"Say how long{where}: 15–30 minutes by phone or video, or up to an hour over coffee.",
    )


def _thanks(draft: _Draft) -> Check:
    text = _NOT_THANKS.sub(" ", draft.body)
    if _THANKS.search(text):
        return Check("thanks", True, "Thanks them")
    last = draft.content[-1] if draft.content else None
    after = f" after {_quote(last)}" if last else ""
    return Check(
        "thanks",
        False,
        "No thanks",
        f"Add a line of thanks{after}, e.g. “Thank you for considering it.”",
    )


def _flexible(draft: _Draft) -> Check:
    imposed = next((s for s in draft.content if _IMPOSE.search(s) and not _search(_FLEX, s)), None)
    if imposed is None and not any(_search(_FLEX, s) for s in draft.all):
        imposed = next((s for s in draft.content if _SPECIFIC_TIME.search(s) and (_is_ask(s) or "?" in s)), None)
    if imposed:
        return Check(
            "flexible",
            False,
            "Sets the time for them",
            f"{_quote(imposed)} sets the time for them: offer to fit their schedule instead, "
            "e.g. “I'm happy to work around your calendar, even outside working hours.”",
        )
    if any(_search(_FLEX, s) for s in draft.all):
        return Check("flexible", True, "Offers to fit their schedule")
    ask = next((s for s in draft.content if _is_ask(s)), None)
    after = f"After {_quote(ask)}, add" if ask else "Add"
    return Check(
        "flexible",
        False,
        "Doesn't offer to fit their schedule",
        f"{after} an offer to fit their schedule, e.g. “Any time that suits you works, even outside working hours.”",
    )


def _about_them(draft: _Draft) -> Check:
    mine: list[str] = []
    theirs: list[str] = []
    for sentence in draft.content:
        topics = set(_topics(sentence))  # a mixed sentence counts on both sides
        if "me" in topics:
            mine.append(sentence)
        if "them" in topics:
            theirs.append(sentence)
    me, them = len(mine), len(theirs)
    if me < them + ABOUT_ME_MARGIN:
        return Check("about_them", True, f"More about them than you ({them} sentences about them, {me} about you)")
    longest = max(mine, key=word_count)
    return Check(
        "about_them",
        False,
        f"More about you than them ({me} sentences about you, {them} about them)",
        f"Turn {_quote(longest)} into something about them: what you'd like to learn from their path, "
        "their work or their view.",
    )


def _no_placeholders(draft: _Draft) -> Check:
    found = _placeholders(draft.body)
    if not found:
        return Check("placeholders", True, "No unfilled placeholders")
    sentence = next((s for s in draft.all if found[0] in s), None)
    where = f" in {_quote(sentence)}" if sentence else ""
    shown = ", ".join(found[:3])
    return Check(
        "placeholders",
        False,
        f"Unfilled: {shown}",
        f"Replace {found[0]}{where} with the real detail" + (", and the others too." if len(found) > 1 else "."),
    )


def _linkedin(draft: _Draft) -> Check:
    chars = len(draft.body)
    label = f"{chars} characters (LinkedIn notes allow {LINKEDIN_NOTE_LIMIT})"
    if chars <= LINKEDIN_NOTE_LIMIT:
        return Check("linkedin_limit", True, label)
    keep = [s for s in draft.content if _connection_match(s) or _is_ask(s) or _THANKS.search(s)]
    spare = [s for s in draft.content if s not in keep] or draft.content or [draft.body]
    longest = max(spare, key=len)
    return Check(
        "linkedin_limit",
        False,
        label,
        f"Cut {chars - LINKEDIN_NOTE_LIMIT} characters: drop or shorten {_quote(longest)}, "
        "and keep the link, the ask and the thanks.",
    )


# A call script may carry alternatives after the conversation itself: what to say to a receptionist or
# HR, and a voicemail. Only the conversation counts towards the length; the others replace it.
_ALTERNATIVE = _c(r"^\s*(?:if\b[^:\n]{0,60}|voicemail\b[^:\n]{0,40}|(?:receptionist|gatekeeper)\b[^:\n]{0,40}):", re.I)


def _main_script(body: str) -> str:
    return "\n\n".join(part for part in body.split("\n\n") if not _ALTERNATIVE.match(part))


def review(text: str, kind: DraftKind | None = None, *, strict: bool = False) -> list[Check]:
    """Check a draft against the method. Each failed check carries a concrete fix quoting what's at fault."""
    body = _strip_subject(text)
    draft = _parse(body)
    limit = STRICT_WORD_LIMIT if strict else WORD_LIMIT
    spoken = _main_script(body) if kind is DraftKind.PHONE else body
    checks = [
        _length(draft, word_count(spoken), limit),
        _connection(draft),
        _no_job(draft),
        _question(draft),
        _time(draft),
        _thanks(draft),
        _flexible(draft),
        _about_them(draft),
        _no_placeholders(draft),
    ]
    if kind is DraftKind.LINKEDIN_NOTE:
        checks.append(_linkedin(draft))
    return checks
