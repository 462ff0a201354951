"""A labelled corpus of request drafts for measuring the draft review (written for issue 10).

Each sample is a first request for an informational interview, as a job seeker would write it: an email
(which may open with a "Subject: ..." line), a LinkedIn connection note or message, a phone script, a note
asking a mutual friend for an introduction, or a draft of unknown kind. They are written fresh, in many
voices and fields, and each is labelled with the set of rules it breaks.

The labels follow the method as DESIGN.md states it ("Coaching rules, with their numbers"), not what any
code does: about 100 words at most (75 in the strict style), the connection first, no job talk, the ask
as a question for a modest, named amount of time, thanks, an offer to fit their schedule, more about them
than about the sender, no unfilled placeholders, and 300 characters at most for a LinkedIn note.

About a quarter of the drafts break nothing. Every other draft breaks one rule (a few break two), in
unusual wording on purpose, so that a review which judges by keywords rather than by meaning shows up
in the precision and recall that tests/test_review_corpus.py measures.
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

RULES = (
    "length",
    "connection",
    "no_job",
    "question",
    "time",
    "thanks",
    "flexible",
    "about_them",
    "placeholders",
    "linkedin_limit",
)


class Sample(NamedTuple):
    id: str
    kind: str | None  # a coaching.enums.DraftKind value ("email", "li_note", ...) or None when unknown
    strict: bool  # the strict style: 75 words at most instead of 100
    breaks: frozenset[str]  # the rules this draft breaks; empty for a good draft
    text: str


def _s(id: str, kind: str | None, breaks: str, text: str, *, strict: bool = False) -> Sample:
    """One sample: `breaks` is a space-separated list of rule keys, `text` is dedented and stripped."""
    return Sample(id, kind, strict, frozenset(breaks.split()), textwrap.dedent(text).strip())


CORPUS: list[Sample] = [
    # ---------------------------------------------------------------- good: break nothing
    _s(
        "good-nurse-cohort",
        "email",
        "",
        """
        Subject: Charge nurse path, a question from a fellow Charité grad
        Hi Lena,
        We were in the same nursing cohort at Charité, though you were two years ahead of me. I saw that you now run the night shift on the cardiac unit at Vivantes, and I'm curious how you made the step up to charge nurse so quickly. Could I ask you about it over a 20-minute call? I'll fit around your rota, nights and weekends included. Thank you for considering it.
        Best,
        Jonas Weber
        """,
    ),
    _s(
        "good-ux-keynote",
        "li_note",
        "",
        """
        Hi Ravi, your CHI keynote on accessible maps stuck with me, especially the part about screen-reader routing. Could I ask how you got into accessibility research, in a 15-minute call whenever suits you? Thanks a lot! Mei
        """,
    ),
    _s(
        "good-finance-rowing",
        "email",
        "",
        """
        Dear Mr. Okonkwo,
        Both of us rowed for Trinity, though some twenty years apart. Your move from audit into restructuring at Houlihan Lokey caught my eye, and I would love to understand what drew you there. Would you have half an hour for a phone call in the coming weeks, at whatever time is easiest for you? I would be very grateful.
        Kind regards,
        Aisha Bello
        """,
        strict=True,
    ),
    _s(
        "good-law-evening-course",
        "li_msg",
        "",
        """
        Hi Camille, Priya Raman from my evening law course gave me your name and said you'd be the person to ask about immigration clinics. I've been reading about the asylum work your clinic at Fordham did last year. How did you decide on public interest over firm practice? Would a 20-minute call sometime work for you? Happy to take an early morning or a lunch break, whatever fits your week. Many thanks, Tomás
        """,
    ),
    _s(
        "good-teacher-former-mentor",
        "phone",
        "",
        """
        Hello, Ms. Adeyemi? This is Grace Holt, your student teacher at Lincoln Middle back in 2019. I'd love to hear how you built the after-school robotics club you started there. Would you be up for a fifteen-minute chat one afternoon? I can call whenever your planning period or evening is free. Thank you so much for picking up.
        """,
    ),
    _s(
        "good-data-pydata-talk",
        "email",
        "",
        """
        Subject: Your PyData talk on churn models
        Hi Kenji,
        Your PyData Berlin talk on survival models for churn was the clearest explanation I've heard. I'm a pharmacist teaching myself analytics, and I keep wondering how you decide when a simple model is enough. Could we talk for 20 minutes by video so I could ask you about that, and about how you came into the field? Any day or hour that suits you is fine with me. Thanks very much for considering it.
        Elif Demir
        """,
    ),
    _s(
        "good-trades-friends-uncle",
        "intro",
        "",
        """
        Hey Marco, at Sunday's lunch your uncle Sal mentioned he ran his own electrical contracting business for thirty years. Would you be willing to introduce me to him? I'd love to ask him how he built up the business and what he'd tell someone new to the trade. Twenty minutes on the phone would be plenty, at any time that's easy for him. Thanks a million, man.
        """,
    ),
    _s(
        "good-nonprofit-food-bank",
        "email",
        "",
        """
        Hi Dolores,
        We met at the food bank's volunteer night in March; I was the one sorting cans next to you. Since then I've read about the community fridge network you coordinate, and I'm amazed at how fast it has grown. Would you have 30 minutes for a call to tell me how you got it off the ground? I'm glad to work around your schedule, evenings included. I appreciate you reading this.
        Warmly,
        Bea Thornton
        """,
    ),
    _s(
        "good-nurse-returner-ward",
        "li_msg",
        "",
        """
        Hello Joanne, we both worked on Ward 7 at St Thomas' before I took a break to raise my kids. I've seen that you now lead the return-to-practice programme there. What does that look like day to day? Could I borrow twenty minutes on the phone, at a time that suits you? Thank you, truly. Sarah Mills
        """,
        strict=True,
    ),
    _s(
        "good-data-nonnative-article",
        "email",
        "",
        """
        Subject: Question about your article on data quality
        Dear Ms. Lindqvist,
        I read your article "Dirty data in clinical trials" on Medium and it help me very much to understand the problem. I am from Brazil and now studying statistics in Uppsala. How you came to work on clinical data at AstraZeneca, I am very curious. Is it possible to speak 20 minutes by Teams? I can adapt to any time for you, also evenings. Thank you very much for your time.
        Best regards,
        Rodrigo Alves
        """,
    ),
    _s(
        "good-ux-bootcamp-name",
        "li_note",
        "",
        """
        Hi Noor, Priya from my General Assembly bootcamp gave me your name. Your redesign of the Monzo savings pots is the kind of work I want to understand. Could we do a 20-minute call at any time that suits you? Thanks so much! Dani
        """,
    ),
    _s(
        "good-finance-fellow-badger",
        "li_msg",
        "",
        """
        Hey Chris, fellow Badger here, UW-Madison '18 econ. I saw your post about leaving Goldman for a climate fund and it stuck with me. Would you be up for a 15-min call so I can hear how that decision went? Super happy to fit around your calendar, early or late. Really appreciate it! Owen
        """,
    ),
    _s(
        "good-law-panel-meeting",
        "email",
        "",
        """
        Subject: Following up from ABA TECHSHOW
        Dear Ms. Whitfield,
        It was a pleasure meeting you briefly after your panel on e-discovery at ABA TECHSHOW in Chicago. Your point about privilege review being the next thing to automate has stayed with me. Would you be willing to spend twenty minutes on a call telling me how your practice has changed since adopting these tools? I am happy to accommodate any time that suits your calendar. Thank you for considering my request.
        Respectfully,
        Daniel Osei
        """,
    ),
    _s(
        "good-teaching-terse",
        None,
        "",
        """
        Hi Mr. Park, Ms. Diaz at Roosevelt High suggested I contact you about your AP Computer Science course. How do you structure the first month? Could I ask you over a 15-minute call, whenever suits you? Thanks! Lily Chen
        """,
        strict=True,
    ),
    _s(
        "good-trades-union-hall",
        "phone",
        "",
        """
        Hi, is this Gus Moreno? Gus, Ray Delgado from the union hall told me to call you; he said you've been welding pipelines for twenty years. I'd love to hear what the work is really like and how you got your start. Could you spare twenty minutes sometime this week? I'll call back whenever suits you, even a weekend. Appreciate it, I know you're busy.
        """,
    ),
    _s(
        "good-data-eid-friend",
        "intro",
        "",
        """
        Hi Amira, you said at Eid that your friend Yusuf leads the analytics team at Careem. Would you feel comfortable introducing us? I'd love to hear how he moved from engineering into analytics and which skills he thinks matter most. I'd only ask him for a 20-minute video call, at whatever time suits him. Thank you, habibti, I owe you one.
        """,
    ),
    _s(
        "good-nurse-podcast",
        "li_note",
        "",
        """
        Hi Keisha, I heard you on the Nurse Keith podcast talking about flight nursing, and it's all I've thought about since. Could I ask you a few questions in a 20-minute call, whenever works for you? Many thanks, Ana
        """,
    ),
    _s(
        "good-nonprofit-library-board",
        "email",
        "",
        """
        Dear Mr. Hartley,
        We both sit on the board of the Friends of Millbrook Library, though we've only spoken once, at the spring book sale. I understand you spent a decade running fundraising at the Audubon Society. Might I ask you about that path over coffee, an hour at most, wherever and whenever is convenient for you?
        With thanks,
        Naomi Fisk
        """,
        strict=True,
    ),
    _s(
        "good-ux-case-study-changer",
        "email",
        "",
        """
        Subject: Your case study on the NHS App
        Hi Tariq,
        Your case study on redesigning repeat prescriptions in the NHS App is one I've reread several times. After ten years in retail management I'm exploring UX research, and I'd love to hear how you ran usability testing with older patients. Would a 25-minute video call be possible in the next few weeks? I'm glad to fit around your calendar, mornings or evenings. Thank you for your time.
        Best wishes,
        Helen Marsh
        """,
    ),
    _s(
        "good-finance-colleague-call",
        "phone",
        "",
        """
        Good afternoon, Mr. Castellano. Elena Ruiz, your colleague in treasury, suggested I call. I'm interested in how you built the planning and analysis function at Harlow Foods from scratch. Would you be willing to give me fifteen minutes on the phone sometime? I'm happy to call back at whatever time suits you better. Thank you for hearing me out.
        """,
    ),
    _s(
        "good-law-campaigns-team",
        "li_msg",
        "",
        """
        Hi Rafael, we overlapped on the Amnesty UK campaigns team back in 2016; I was the intern doing the freedom-of-information requests. I've been following your move into refugee law since. How did you find the switch from campaigning to casework? Would you have 30 minutes for a Zoom call at some point? Any time that suits you works for me, weekends included. Thanks in advance, Priya
        """,
    ),
    _s(
        "good-teaching-aunt-colleague",
        "email",
        "",
        """
        Dear Mrs. Kowalski,
        My aunt Barbara Nowak, who teaches with you at Pulaski Elementary, gave me your email. I am Polish teacher, new in Chicago, and I want to understand how bilingual classrooms work here. How do you organise a day with two languages? Could we maybe talk 20 minutes by phone? Any time is good for me, I adapt to you. I am very thankful for your help.
        Sincerely,
        Agnieszka Zielińska
        """,
    ),
    _s(
        "good-data-omsa-grad",
        "li_note",
        "",
        """
        Hi Wen, fellow Georgia Tech OMSA grad here. Your Kaggle write-up on the M5 forecasting competition taught me a ton. Could I ask how you approach hierarchical forecasting at Instacart, over a 20-min call whenever suits you? Thank you! Jae
        """,
        strict=True,
    ),
    _s(
        "good-trades-timber-barn",
        "email",
        "",
        """
        Hey Bram,
        That timber-frame barn you posted from the Vermont job in June is still my phone wallpaper. I'm a hobby woodworker thinking seriously about doing this for real, and I'd love to know how you learned joinery at that level. Could I buy you a coffee, an hour max, whenever you've got a gap? Or a 20-minute call if that's easier. Thanks a bunch either way.
        Cal
        """,
    ),
    _s(
        "good-nonprofit-book-club",
        "intro",
        "",
        """
        Hi Jess, you mentioned at book club that your college roommate Tanya runs grants at the Gates Foundation. Would you be comfortable introducing us by email? I'd love to ask her how grantmakers decide what to fund and how she came into philanthropy. A 20-minute call at her convenience is all I'd ask. Thank you so much, next round of wine is on me.
        """,
    ),
    _s(
        "good-nurse-carpool",
        "phone",
        "",
        """
        Hi Marisol, it's Deb Lowry, we carpooled to nursing school at Miami Dade years ago! I'd love to hear how you moved into school nursing. Would you have twenty minutes for a call this week or next, whenever suits you? Thanks so much.
        """,
        strict=True,
    ),
    _s(
        "good-finance-keio-lecture",
        "li_msg",
        "",
        """
        Hello Mr. Tanaka, I attended your lecture at Keio about ESG investing in Japan last autumn. It changed how I think about governance. I am an exchange student from Vietnam, and I wish to learn how you started your career at Nomura. Could you spare 15 minutes for an online call? Whatever time is convenient for you, I will adjust. Thank you very much in advance. Nguyen Thi Lan
        """,
    ),
    _s(
        "good-ux-recurse-batch",
        "email",
        "",
        """
        Subject: Hello from another Recurser
        Hi Ingrid,
        We were both at the Recurse Center, though in different batches; I think you were Winter 2, 2021. I've just read your essay on designing for people who distrust technology, and I have about a hundred questions, the first being how you earn that trust in research sessions. Would you be open to a 30-minute video call sometime? I'll make any slot you prefer work, early or late. Thank you for reading.
        All best,
        Theo Lambert
        """,
    ),
    _s(
        "good-law-mothers-colleague",
        "email",
        "",
        """
        Dear Judge Alvarez,
        My mother, Carmen Ortiz, worked alongside you at the Public Defender's office in Tucson, and she suggested I write. I am a second-year law student and would love to hear how you moved from defense work to the bench. Would you be willing to speak with me for twenty minutes by phone? I will gladly work around your docket. Thank you for your consideration.
        Respectfully,
        Lucia Ortiz
        """,
    ),
    _s(
        "good-data-terse-casual",
        "li_note",
        "",
        """
        Hey Sam, saw your dbt Coalesce talk on testing pipelines, loved it. 15 min call sometime so I can ask how your team rolled it out? Any time works, your call. Thanks!
        """,
    ),
    _s(
        "good-teaching-sons-teacher",
        "phone",
        "",
        """
        Hello Mr. Brennan, this is Amy Cho; my son Leo was in your fourth-grade class at Maple Grove last year. I've been thinking about leaving accounting to teach, and I'd love to hear how you made that same switch from engineering. Would you be open to a twenty-minute phone call, at whatever time suits you, evenings included? Thank you for considering it.
        """,
    ),
    _s(
        "good-nonprofit-newsletter",
        "email",
        "",
        """
        Hi Ayo,
        Your newsletter piece on paying community organisers fairly was forwarded around our whole tenants' union. How did you persuade your board to raise pay? Could I ask you over a 20-minute call? Any day or time that works for you is fine by me. Thanks for writing it, and for considering this.
        Marta Silva
        """,
        strict=True,
    ),
    _s(
        "good-nurse-midwife-colleague",
        "li_msg",
        "",
        """
        Hi Hannah, your fellow midwife Aoife Byrne said you wouldn't mind a message from me. I'm curious about how you set up the home-birth service at the Rotunda and what surprised you most. Would you have 20 minutes for a call in the coming weeks? I can work around your shifts, days or nights. Thank you so much. Clare
        """,
    ),
    _s(
        "good-finance-marines",
        "email",
        "",
        """
        Subject: Fellow Marine, curious about your path into financial planning
        Mr. Davis,
        Semper Fi: we both served with 2nd Battalion, 8th Marines, though you got out a few years before I joined. I read your piece on turning logistics experience into financial planning. How did you earn the CFP while working full time? Would you have 20 minutes for a phone call? I'll make any time work for you. Thank you for your time and your service.
        Respectfully,
        Marcus Reed
        """,
    ),
    _s(
        "good-ux-munich-meetup",
        "li_note",
        "",
        """
        Hallo Jana, we met at the UX Munich meetup in May, you had the great talk about forms. Can I ask you some questions about your work at Check24 in a 20 minutes call? Any time is fine for me. Thank you!
        """,
    ),
    _s(
        "good-trades-plumber-brother",
        "li_msg",
        "",
        """
        Hi Dwayne, your brother Kev from my Local 130 class gave me your name. He says you started your own plumbing shop at 28. How did you know you were ready? Could we talk for 20 minutes whenever suits you? Cheers for reading, Tommy
        """,
        strict=True,
    ),
    _s(
        "good-data-dphil-overlap",
        "email",
        "",
        """
        Hi Dr. Mensah,
        We overlapped in the Oxford statistics department; I was a first-year DPhil when you were finishing. I noticed you're now doing causal inference at Spotify, and I'd love to hear how the move out of academia went for you and what you miss. Could we have a 20-minute video call sometime? I'm happy to fit it around your calendar, whichever time zone suits. Many thanks,
        Abena
        """,
    ),
    _s(
        "good-law-pro-bono-call",
        "phone",
        "",
        """
        Hi Ms. Greenberg, Lisa Park from the Brooklyn Volunteer Lawyers Project gave me your number. I heard you argued the Kings County tenant case that changed the repair rules, and I'd love to understand how you prepared for it. Would twenty minutes on the phone be possible? Any time convenient for you is perfect. Thank you for taking my call.
        """,
    ),
    _s(
        "good-teaching-casual-intro",
        "intro",
        "",
        """
        Hey Priyanka! You mentioned your sister Divya teaches special ed in Oakland. Any chance you'd introduce us? I'd love to ask her how she handles IEP season. A 20-minute call whenever suits her would be amazing. Thanks, lovely!
        """,
        strict=True,
    ),
    _s(
        "good-nonprofit-advisor",
        None,
        "",
        """
        Dear Dr. Achebe,
        Professor Ruth Klein, my thesis advisor at Tufts, recommended I write to you. Your report on cash transfers in northern Kenya is central to my reading, and I would love to hear how your team measured the long-term effects. Would you be open to a thirty-minute call at a time of your choosing? Thank you for your consideration.
        Sincerely,
        Ibrahim Haddad
        """,
    ),
    _s(
        "good-nurse-gen-z",
        "li_note",
        "",
        """
        hi jordan!! we were both in the UCLA nursing club, you were president my freshman yr. would love to hear how you ended up in the NICU, 20 min call whenever works for u? ty so much!!
        """,
    ),
    _s(
        "good-finance-waterloo",
        "email",
        "",
        """
        Subject: From a fellow Waterloo actuarial student
        Hi Farah,
        We were both in Waterloo's actuarial science program, and Mei Lin from my year told me you'd be generous with advice. How did you choose between pensions and P&C, and what does your week at Sun Life actually look like? Could I ask you over a 20-minute call? I'll work around whatever time suits you. Thanks so much for considering it.
        Best,
        Devon Clarke
        """,
    ),
    _s(
        "good-ux-tate-workshop",
        "phone",
        "",
        """
        Hi Elise, this is Marco; we met at the Tate Modern accessibility workshop last Saturday, I was the one with the wheelchair-user survey. I'd love to hear more about how you plan audio descriptions for the galleries. Would you have twenty minutes for a call sometime next week? I'll fit around whatever is easiest for you. Thanks very much.
        """,
    ),
    _s(
        "good-data-choir-friend",
        "li_msg",
        "",
        """
        Hi Grace, Martina Ruiz from choir said you wouldn't mind hearing from me. I loved your DataKind project mapping food deserts in Detroit. How did you scope it with the city? Would you have 25 minutes for a video call at some point? Happy to make early mornings or evenings work if that's easier. Thank you kindly, Joan
        """,
    ),
    _s(
        "good-trades-ibew-talk",
        "email",
        "",
        """
        Subject: Your talk at the IBEW apprentice night
        Hi Mr. Kowalczyk,
        Your talk at the IBEW apprentice night about solar installs has stuck with me. How did you move from residential work into solar? Could I ask you over a 20-minute phone call, at whatever time suits you? Thanks a lot for considering it.
        Jake Turner
        """,
        strict=True,
    ),
    _s(
        "good-teaching-book-chapter",
        None,
        "",
        """
        Dear Professor Nakamura,
        Your chapter on project-based learning in "Rethinking Secondary Maths" is the reason I started redesigning my own lessons. How did you convince a whole department to try it? Would you be willing to share your thoughts in a 20-minute call? I am glad to work around your teaching timetable. Thank you for considering this.
        Kind regards,
        Sophie Brandt
        """,
    ),
    _s(
        "good-nurse-aunt-intro",
        "intro",
        "",
        """
        Dear Aunt Rosa, you once told me your neighbour Dr. Ellis runs the wound-care clinic at Mercy. Would you be willing to put us in touch? I would like to ask her what the specialty involves day to day and how she trained for it. Twenty minutes on the phone, at any time she prefers, would be more than enough. Thank you, and love to Uncle Tomás.
        """,
    ),
    # ---------------------------------------------------------------- length: over 100 words (75 strict)
    _s(
        "length-nurse-sepsis-questions",
        "email",
        "length",
        """
        Subject: Your work on the sepsis bundle at Mass General
        Hi Dr. Feldman,
        Dana Whitaker, my clinical instructor at Simmons, suggested I write to you. She told me you led the rollout of the sepsis screening bundle across the medical ICUs at Mass General, and I have read your paper on it in Critical Care Nurse twice. I'm curious about so many parts of that work: how you got bedside nurses to trust the screening tool, how you handled the alarm fatigue everyone warns about, what you would do differently if you started again, and how you balanced the project with your clinical hours. I'd also love to hear how you moved from staff nursing into quality improvement in the first place. Would you have 20 minutes for a call in the next few weeks? I'm glad to work around your schedule, including evenings. Thank you very much for considering it.
        Warm regards,
        Rachel Kim
        """,
    ),
    _s(
        "length-ux-design-systems",
        "li_msg",
        "length",
        """
        Hi Oskar, Lea Brandt from our old Spotify squad said you wouldn't mind a note. I've been working my way through your series of posts on design systems for small teams, and the one about retiring components without drama changed how I think about my own work. I have more questions than I can fit here: how you decide when a pattern is stable enough to standardise, how you get engineers to contribute rather than just consume, whether you'd choose Figma variables again, and how your day changed as the system grew from five components to two hundred. I'd also love to hear how you first got into systems work after starting in visual design. Would you be up for a 30-minute video call sometime? Any slot that suits you is great. Thanks so much, Mira
        """,
    ),
    _s(
        "length-finance-bond-analyst-call",
        "phone",
        "length",
        """
        Hello, is this Mr. Abernathy? Good morning. Patricia Lowe, who chairs the finance committee at St. Aidan's, suggested I give you a ring. She mentioned you spent many years as a municipal bond analyst before moving to the county treasurer's office, and that you helped restructure the county's debt after the 2011 downgrade. I find that story fascinating. I'd love to understand what the day-to-day work of analysing a city's finances involves, which skills mattered most when you moved from the private side to the public side, what the hardest part of the restructuring was, and what you think someone coming from accounting should read first to understand the field. Would you be willing to spend twenty minutes on the phone with me some time? I'm happy to call whenever is best for you, early or late. Thank you so much for hearing me out.
        """,
    ),
    _s(
        "length-strict-teaching-montessori",
        "email",
        "length",
        """
        Subject: Your Montessori workshop in Leeds
        Dear Ms. Okafor,
        Your Montessori maths workshop at the Leeds teachers' conference in February is still on my mind, especially the bead-chain activity for place value. I'd love to hear how you adapted those materials for a state-school classroom of thirty, how you persuaded your head to fund them, and what you would tell a teacher trying them for the first time in Year 2. Would you have 20 minutes for a call this term? I'll happily work around your timetable. Thank you for considering it.
        Best wishes,
        Hannah Rees
        """,
        strict=True,
    ),
    _s(
        "length-strict-data-synthetic-controls",
        "li_msg",
        "length",
        """
        Hi Anjali, we were in the same Insight Data Science cohort in 2019, though on different projects. Your blog post on measuring the impact of recommendation changes without A/B tests was brilliant, and I have been trying to use synthetic controls the same way. I would love to ask how you validate them when the pre-period is short, how you explain the uncertainty to product managers, and which papers you would read first. Could we talk for 20 minutes by video? Any time that suits you is fine. Thank you so much. Ravi
        """,
        strict=True,
    ),
    _s(
        "length-strict-law-water-rates",
        None,
        "length",
        """
        Dear Mr. Oyelaran,
        Professor Dana Hirsch, who taught my evidence seminar at Georgetown, suggested that I write to you. She described your work on the Baltimore water-rate case and the way you built the expert testimony around household budgets. I would be grateful to hear how you chose which families to feature, how you prepared them for cross-examination, and what you would do differently today. Would you have twenty minutes for a telephone call in the coming weeks? I am glad to adapt to your schedule entirely. Thank you for your consideration.
        Sincerely,
        Miriam Adler
        """,
        strict=True,
    ),
    _s(
        "length-intro-community-health",
        "intro",
        "length",
        """
        Hi Becca, at Jonah's wedding you mentioned that your old college roommate, Natalie Cruz, now runs the community health worker program at Kaiser in Oakland. I've been reading everything I can find about it, including the piece in Health Affairs about how her team cut ER visits among diabetic patients by pairing them with workers from their own neighbourhoods. I'd really love to understand how she found and trained those workers, how she convinced the hospital to fund it before the results came in, what the day-to-day looks like for her now, and what she thinks is the biggest mistake people make when they start programs like that. Would you feel comfortable introducing us by email? I'd only ask her for a 20-minute call, at any time that suits her. Thank you so much, Becca, I owe you dinner.
        """,
    ),
    _s(
        "length-nonnative-bridge-corrosion",
        "email",
        "length",
        """
        Subject: Question about your research on bridge corrosion
        Dear Dr. Haugen,
        I read your paper about chloride corrosion in Norwegian coastal bridges in the journal Structure and Infrastructure Engineering, and it was very interesting for me. In my country, Indonesia, we have many similar bridges near the sea, and I think your method of inspection with drones can be very useful also there. I have some questions: how do you choose which bridges to inspect first, how you combine the drone images with the sensors, and how many people are in a team to do this work. Also I am curious how you started in this field after your study at NTNU. Would it be possible to have a 20-minute video call with you? I can follow your schedule, any day and any hour. Thank you very much for your time and kindness.
        Best regards,
        Budi Santoso
        """,
    ),
    _s(
        "length-strict-nonprofit-crm",
        "email",
        "length",
        """
        Subject: Your talk at the Nonprofit Technology Conference
        Hi Gabriela,
        Your NTC session on moving a small nonprofit's donor database off spreadsheets was the most practical hour of the whole conference for me. I'm curious how you convinced a volunteer board to pay for a CRM, how you cleaned fifteen years of messy records, and what you would skip if you did it all again. Could I ask you about it in a 20-minute call? I'm happy to work around your calendar, evenings included. Thank you so much for considering it.
        Best,
        Lauren Pike
        """,
        strict=True,
    ),
    _s(
        "length-strict-trades-framer-call",
        "phone",
        "length",
        """
        Hi, is this Mr. Otieno? Good morning, sir. My neighbour Pastor Williams said you built half the timber houses on our street, and he told me to give you a call. I'd love to hear how you learned to frame houses, what has changed in the trade over thirty years, and what you think a young person should learn first if they want to build. Would you have twenty minutes to talk on the phone some day this week or next? I can call back any time that suits you. Thank you kindly, sir.
        """,
        strict=True,
    ),
    _s(
        "length-nonprofit-conversation-clubs",
        "li_msg",
        "length",
        """
        Hi Tomasz, we met briefly at the Refugee Council's autumn fundraiser in Manchester, where you spoke about the English conversation clubs your team runs in libraries. I've been thinking about that talk ever since, especially your story about the retired bus driver who became the most popular volunteer. I'd love to understand how the clubs started, how you find and keep volunteers over years rather than months, how you measure whether they are helping, and how you personally moved from teaching into running a charity programme. I'm also curious what you think smaller towns like mine get wrong when they try to copy the model. Would you be open to a 30-minute video call at some point? Any time that suits you is fine with me, including evenings. Many thanks in advance, Aleksandra
        """,
    ),
    _s(
        "length-alumna-climate-office",
        "email",
        "length",
        """
        Subject: Hello from a fellow Smith alumna
        Dear Ms. Whitcombe,
        We are both Smith alumnae, and I found you after reading your interview in the Smith Quarterly about building the city's first municipal climate office. I was struck by how you described bringing together the transit, housing and parks departments, and by your comment that most of the work is persuading people who don't report to you. I would love to hear how you did that in practice, which parts of your earlier consulting work turned out to be most useful, what the office's first year looked like, and what you are proudest of now. Would you be willing to spend 20 minutes on the phone with me? I will happily work around your schedule. Thank you for considering my request.
        Warmly,
        Judith Feld
        """,
    ),
    _s(
        "length-strict-nurse-palliative",
        "email",
        "length",
        """
        Hi Nadia,
        Ikram Hassan, who precepted me on 4 West at Boston Children's, suggested I write to you. She said you built the hospital's first pediatric palliative care consult team and still do bedside visits every week. I'd love to hear how you made the case for the team, how you look after your own wellbeing in such heavy work, and what you wish you had known as a new nurse. Could we talk for 20 minutes by phone? Any time that suits you works for me. Thank you so much.
        Olivia Grant
        """,
        strict=True,
    ),
    _s(
        "length-self-engineer-autobiography",
        "email",
        "length about_them",
        """
        Subject: Hi from a fellow Northeastern Husky
        Hi Pradeep,
        We both went to Northeastern, though I finished in 2012 in mechanical engineering. Since then I've worked at three automotive suppliers in Michigan, mostly on brake systems, and I led a small team redesigning a caliper line in 2019. In 2021 I moved to Denver for family reasons and started a part-time certificate in data analytics, which I finished last spring with a capstone on warranty claims. I've always loved numbers, and I've realised that the parts of my engineering work I enjoyed most were the spreadsheets, not the prototypes. I've been teaching myself Python on weekends and helping a local food bank with its inventory reports. I'm still figuring out which direction suits me best. Would you have 20 minutes for a call to share how you approached it? Any time that suits you is fine. Thank you!
        Ben Alvarez
        """,
    ),
    # ---------------------------------------------------------------- connection: not first, or none
    _s(
        "conn-buried-in-postscript",
        "email",
        "connection",
        """
        Subject: Question about pediatric telehealth
        Hi Dr. Patel,
        I'm a second-career nursing student at Drexel trying to understand where I might fit in pediatrics. I'd love to hear how you built the telehealth service at Nemours and what surprised you about caring for kids through a screen. Could we talk for 20 minutes by phone? Any time that suits you is fine, evenings too. Thank you for considering it.
        Best,
        Kara Mitchell
        P.S. I just noticed we both went to Penn State!
        """,
    ),
    _s(
        "conn-generic-passion",
        "li_note",
        "connection",
        """
        Hi Ana, as someone who cares a lot about climate finance, I'm trying to learn from people who do it well. Could I ask how you got into green bonds, on a 20-min call whenever suits you? Thanks a lot! Ben
        """,
    ),
    _s(
        "conn-flattery-of-the-firm",
        "email",
        "connection",
        """
        Dear Mr. Laurent,
        Your firm is widely regarded as one of the finest shipping-law practices in Europe. I am a final-year LLM student in Rotterdam, and I would be glad to hear how you came to specialise in charterparty disputes and what the work is like from one week to the next. Would you have twenty minutes for a telephone call? I will happily fit in with your diary. Thank you for your kind consideration.
        Yours sincerely,
        Pieter de Vries
        """,
    ),
    _s(
        "conn-after-the-ask",
        "li_msg",
        "connection",
        """
        Hi Tomasz, would you have 20 minutes for a call about your work in cold-chain logistics? I'd love to hear how vaccine shipments changed your team's planning and what you think the field gets wrong. Any time that suits you works for me. Karol Nowak from my MBA cohort at Kozminski suggested you, by the way. Thank you! Ewa
        """,
    ),
    _s(
        "conn-second-after-own-story",
        "email",
        "connection",
        """
        Hi Jen,
        For eight years I've been a high school chemistry teacher in Fresno, and lately I've been wondering about industry lab work. Marcus Lee, who worked with you at Gallo, mentioned that you made exactly that move into quality control. How did you find the change of pace? Would you be open to a 20-minute call? I'll fit around your schedule, weekends included. Many thanks,
        Rosa Delgado
        """,
    ),
    _s(
        "conn-none-cold-call",
        "phone",
        "connection",
        """
        Hi, is this Mrs. Adebayo? Good morning! I'm calling because I'm curious about school social work, and I'd love to hear how you came to it and what a typical week involves for you. Could you spare fifteen minutes now, or at another time that's better for you? Thank you so much for picking up.
        """,
    ),
    _s(
        "conn-industry-trend-opener",
        "email",
        "connection",
        """
        Subject: Lakehouse migrations
        Hi Lukas,
        Data engineering seems to be changing faster than anyone can write about it, with lakehouses everywhere. I'd love to hear how your team at Zalando decided when to move off the old warehouse and what you learned along the way. Would you have 25 minutes for a video call at some point? Any slot that suits you is fine with me. Thanks in advance,
        Sven
        """,
    ),
    _s(
        "conn-nonnative-name-first",
        "email",
        "connection",
        """
        Dear Mr. Kimura,
        My name is Ahmed Farouk and I am interested very much in the field of HVAC design. I would like to learn how you became lead engineer for the Daikin research centre and what is most difficult in designing for hot climates. Is it possible to speak with you 20 minutes by phone or Zoom? I can adapt to any time for you. Thank you very much for reading.
        Best regards,
        Ahmed Farouk
        """,
    ),
    _s(
        "conn-note-met-at-the-end",
        "li_note",
        "connection",
        """
        Hi Rosa, I'm curious how you moved from bedside nursing into informatics. Could we do a 20-min call whenever suits you? Thanks so much! (We met at HIMSS in Orlando, by the way.)
        """,
    ),
    _s(
        "conn-intro-barbecue-at-the-end",
        "intro",
        "connection",
        """
        Hi Carlos, I'm trying to talk to a few people in hospital administration this month to understand the field better. Would you be willing to introduce me to Dr. Reyes? I'd love to ask her how she moved from clinical work into running operations at St. Luke's. Twenty minutes on the phone, whenever suits her, would be plenty. Thanks so much! (You mentioned at the barbecue that you two go way back.)
        """,
    ),
    _s(
        "conn-exploring-actuarial",
        None,
        "connection",
        """
        Hello Ms. Ng,
        I'm exploring actuarial science and hoping to speak with a few practitioners before I decide on exams. What drew you to pensions work, and what does a normal week at Mercer involve? Could I ask you over a 20-minute call? I can make any time that suits you work. Thank you for considering it.
        Regards,
        Tom Hughes
        """,
    ),
    _s(
        "conn-field-observation",
        "li_msg",
        "connection",
        """
        Hi Devi, product managers at fintech startups seem to juggle everything at once: compliance, design, engineering, and the CEO's latest idea. How do you decide what to say no to at Revolut? Would you have 20 minutes for a video call sometime? I'm happy to work around your calendar. Thanks a lot, Marcus
        """,
    ),
    _s(
        "conn-hardware-store-afterthought",
        "phone",
        "connection",
        """
        Hi, Mr. Grant? My name's Kelly Ortiz and I'm thinking about training as an electrician. I'd love to hear how you got started and what the first few years were really like. Would you have twenty minutes for a call some evening, whenever suits you? Oh, and Sheila at Ace Hardware said you'd be the one to ask. Thanks a lot.
        """,
    ),
    _s(
        "conn-strict-trainee-counsellor",
        "email",
        "connection",
        """
        Dear Mr. Oduya,
        I'm a trainee counsellor curious about restorative justice in secondary schools. How did your school in Hackney start its restorative circles, and what did staff find hardest? Could we speak for twenty minutes by phone, at whatever time suits you? Thank you for considering it.
        Kind regards,
        Emma Laine
        """,
        strict=True,
    ),
    _s(
        "conn-thanks-neither",
        "li_msg",
        "connection thanks",
        """
        Hi Felix, I've been trying to figure out whether product marketing suits me. How did you move into it from sales at HubSpot, and what do you enjoy most now? Could we do a 20-minute call sometime? Any time that suits you is fine. Best, Lina
        """,
    ),
    # ---------------------------------------------------------------- no_job: asks for or mentions a job
    _s(
        "job-foot-in-door",
        "email",
        "no_job",
        """
        Subject: Your talk at the Women in Audit breakfast
        Hi Siobhan,
        Your talk at the Women in Audit breakfast in Dublin, on moving from Big Four audit into forensic accounting, was the highlight of my month. I'd love to hear how you made that leap, and any tips on getting my foot in the door at a forensic team like yours. Could we have a 20-minute call? I'll work around whatever suits you. Thank you so much.
        Niamh Byrne
        """,
    ),
    _s(
        "job-think-of-me-if-team-grows",
        "li_msg",
        "no_job",
        """
        Hi Andrés, Camila from my Ironhack bootcamp said you were the person to ask about mobile UX in banking. How did you get your team at BBVA to test with older customers? Could we talk for 20 minutes? Any time that suits you is fine. And if your team ever grows, I hope you'll think of me. Thanks a lot, Lucía
        """,
    ),
    _s(
        "job-cv-attached",
        "email",
        "no_job",
        """
        Subject: A fellow Hull English graduate
        Dear Ms. Barker,
        We both read English at Hull, a decade apart. I loved your column in the TES on teaching poetry to reluctant fifteen-year-olds. How do you keep it fresh after all these years? Would you be willing to speak for twenty minutes by phone, at any time convenient for you? I've attached my CV so you can see where I'm coming from. Thank you very much.
        Best wishes,
        Eleanor Platt
        """,
    ),
    _s(
        "job-pass-my-name-along",
        "phone",
        "no_job",
        """
        Hi, is this Dr. Singh? Good morning. Meera Kapoor from my yoga class said you wouldn't mind a call. I'd love to hear how you set up the physiotherapy clinic on Elm Street and what your patients mostly come in for. Could you spare fifteen minutes some time this week, whenever is easiest for you? And if you wouldn't mind passing my name to whoever does the recruiting there, that would be wonderful. Thank you so much.
        """,
    ),
    _s(
        "job-pupillage-word-to-committee",
        "email",
        "no_job",
        """
        Dear Ms. Adebayo-Clarke,
        I heard you speak at Middle Temple's advocacy evening in November about your work in the Court of Protection. How did you come to specialise in mental capacity law? Would you be willing to talk for twenty minutes by phone, whenever suits your diary? I'm going for pupillage this round, so a word from you to your chambers' committee would mean the world. Thank you for considering it.
        Kind regards,
        Oluwaseun Martin
        """,
    ),
    _s(
        "job-shop-takes-apprentices",
        "li_note",
        "no_job",
        """
        Hi Pete, Dave from the Toronto Maker Space said you restore old Triumphs. Could I ask how you got into it over a 20-min call, any time that suits? And does your shop ever take on apprentices? Thanks! Sam
        """,
    ),
    _s(
        "job-coordinator-spots",
        None,
        "no_job",
        """
        Hello Keisha,
        Ms. Grant from my church gave me your name and said you run youth programs at the Boys & Girls Club in Newark. How did you build the summer coding camp? Could we speak for 20 minutes, whenever suits you? I'm also curious whether any coordinator spots might open up this spring. Thank you for your time.
        Andre Phillips
        """,
    ),
    _s(
        "job-be-part-of-staffing-up",
        "li_msg",
        "no_job",
        """
        Hi Tanya, we were both in the Johns Hopkins accelerated BSN class of 2017. I saw your post about opening the new cardiac step-down unit at Sinai. How did you plan the staffing model? I hear you're staffing up for it, and I'd love to be part of that. Could we talk for 20 minutes by phone, whenever is good for you? Thanks so much, Kayla
        """,
    ),
    _s(
        "job-portfolio-if-you-need-a-researcher",
        "email",
        "no_job",
        """
        Subject: Your Config talk on research ops
        Hi Leilani,
        Your Config talk on building a research ops practice from zero had me taking notes on my phone in the dark. How did you convince leadership to fund a participant panel? Would a 20-minute video call be possible? I'm glad to fit around your calendar. I've also linked my portfolio in case anything on your side ever needs a researcher. Many thanks,
        Jonah Weiss
        """,
    ),
    _s(
        "job-between-gigs-leads",
        "li_msg",
        "no_job",
        """
        Hey Priya, we were in the same Data Umbrella mentoring group last summer! I loved your notebook on fairness metrics for credit scoring. How do you explain those tradeoffs to risk teams? Could we grab 20 minutes on a call, whenever suits you? I'm between gigs at the moment and looking for my next thing in analytics, so any leads are very welcome. Thanks a ton, Ade
        """,
    ),
    _s(
        "job-refer-me-when-programme-opens",
        "email",
        "no_job",
        """
        Subject: Fellow LSE Finance Society member
        Hi Omar,
        We overlapped in the LSE Finance Society, though you were two years above me. I enjoyed your post about what leveraged finance is really like on a Tuesday at 11pm. How did you decide between LevFin and coverage? Could I ask you over a 20-minute call, whenever works for you? And when the analyst programme opens in September, would you be comfortable vouching for me? Thanks a lot,
        Zain Qureshi
        """,
    ),
    _s(
        "job-on-the-market-for-fall",
        "email",
        "no_job",
        """
        Subject: From a fellow Bank Street grad
        Dear Mr. Whitaker,
        We both studied at Bank Street, though you were a few years before me. I read your piece on loose-parts play in the Kindergarten Journal and loved it. How did you get your school to redesign its outdoor space? Could we talk for 20 minutes by phone at whatever time suits you? I'm on the market for the fall, so I'd also be glad to know if your school is looking for anyone. Thank you so much.
        Ruth Gomez
        """,
    ),
    _s(
        "job-intro-mention-im-looking",
        "intro",
        "no_job",
        """
        Hi Will, you mentioned at rugby that your sister Laura is a structural engineer at Arup. Would you be happy to introduce us? I'd love to ask her how she got into bridge design. Twenty minutes on the phone, whenever suits her, would be great. And maybe mention I'm looking, since I gather her group might be bringing on graduates this year. Much appreciated, mate.
        Josh
        """,
    ),
    _s(
        "job-resume-offer-note",
        "li_note",
        "no_job",
        """
        Hi Petra, we both did the Code First Girls course! Could I ask how you moved into QA, in a 15-min call whenever suits you? Happy to send over my résumé too. Thanks! Ama
        """,
    ),
    _s(
        "job-keep-details-on-file",
        "email",
        "no_job",
        """
        Dear Mrs. Haddad,
        My professor at AUB, Dr. Karim Saleh, recommended me to write to you. I read your report on water pricing in Jordan and learned a lot. How did you start working for the World Bank? Is it possible to talk 20 minutes by Zoom, in any time good for you? Please keep my details in your files if something suitable comes later. Thank you very much.
        Best regards,
        Rami Aoun
        """,
    ),
    _s(
        "job-self-revenue-strategy",
        "email",
        "no_job about_them",
        """
        Subject: Cornell Hotel School alum
        Hi Greg,
        We're both Cornell Hotel School grads, though you're a few years ahead. I've spent six years in front-desk and revenue management at Marriott, I'm certified in IDeaS, and last year I led our property's switch to dynamic pricing. I'm now hoping to land a corporate revenue strategy post at a boutique group like yours, and I've attached my résumé. I'm confident I'd bring a lot. Could we talk for 20 minutes? Any time that works for you is fine. Thank you!
        Alicia Romero
        """,
    ),
    _s(
        "job-statement-ask-analyst-positions",
        "li_msg",
        "no_job question",
        """
        Hi Maren, Sofie from my Copenhagen Business School class said you'd be kind enough to hear from me. I loved your article on how Ørsted hedges wind output. I'd like to book 20 minutes on a call, at any time that suits you, to hear how you got there and whether any analyst positions might be opening. Thank you! Jens
        """,
    ),
    # ---------------------------------------------------------------- question: the ask is not a question
    _s(
        "question-i-was-wondering",
        "email",
        "question",
        """
        Subject: Your guest lecture at Rutgers
        Hi Dr. Osei,
        Your guest lecture in my epidemiology class at Rutgers last week, on tracing the Newark measles outbreak, is still on my mind. I'd love to hear how you moved from lab work into field epidemiology. I was wondering whether you might have 20 minutes for a phone call, at any time that suits you. Thank you so much for considering it.
        Best,
        Chloe Martin
        """,
    ),
    _s(
        "question-might-you-with-a-full-stop",
        "li_note",
        "question",
        """
        Hi Ines, we were both Erasmus students in Bologna in 2015! Your move into food policy fascinates me. Might you spare 20 minutes for a call, whenever suits you. Thanks so much! Clara
        """,
    ),
    _s(
        "question-let-me-know-a-time",
        "phone",
        "question",
        """
        Hi, Mr. Lindgren? Good afternoon. Oskar from the Saturday climbing gym said you'd be happy to talk about your work as an arborist. I'd love to hear how you got certified and what a typical job involves. Let me know a good time for a twenty-minute call, whenever is easiest for you. Thanks very much.
        """,
    ),
    _s(
        "question-hoping-we-can-set-up",
        "li_msg",
        "question",
        """
        Hi Naledi, we were in the same Mandela Rhodes cohort in 2018. I read your piece on community land trusts in Cape Town and found the section on financing especially clear. I'm hoping we can set up a 20-minute video call, at a time convenient for you, so I can hear how you moved from law into housing. Thank you so much. Sipho
        """,
    ),
    _s(
        "question-rhetorical-mark-only",
        "email",
        "question",
        """
        Subject: Your ASCE talk on bridge inspection
        Hi Mr. Brennan,
        Your ASCE Ohio talk on drone-based bridge inspection was the best session of the day. Who knew rust could be so gripping? I'd love to hear how your team checked the drone images against hands-on inspections. I'd like to book 20 minutes with you by phone, at any time that suits you. Thank you very much.
        Regards,
        Nina Vasquez
        """,
    ),
    _s(
        "question-reply-with-a-window",
        None,
        "question",
        """
        Dear Ms. Abara,
        Your former student Ifeoma Eze, now my colleague at Lagos Business School, suggested I write. I have been reading about the microfinance programme you founded in Enugu and would love to hear how it grew. Please reply with a 20-minute window for a call; I will fit in wherever you like. Thank you very much.
        Yours sincerely,
        Chidi Obi
        """,
    ),
    _s(
        "question-intro-would-be-great",
        "intro",
        "question",
        """
        Hey Mia, at your graduation party you told me your cousin Ruben is a paramedic in Phoenix. It would be great if you could introduce us. I'd love to hear what his shifts are like and how he trained. Twenty minutes on the phone, at whatever time suits him, would be plenty. Thanks so much!
        """,
    ),
    _s(
        "question-ill-give-you-a-ring",
        "email",
        "question",
        """
        Subject: From a fellow Bowdoin swimmer
        Hi Caroline,
        We both swam for Bowdoin, though we missed each other in the pool by a few years. I loved your interview in the alumni magazine about building a land trust in Maine. I'll plan to give you a ring for 20 minutes, at whatever time you say works best, to hear how it started. Thanks so much in advance.
        Molly Sanders
        """,
    ),
    _s(
        "question-nonnative-kindly-ask",
        "email",
        "question",
        """
        Dear Mr. Schneider,
        Mrs. Weber from the Goethe-Institut in Kraków gave me your contact. I admire very much your book about apprenticeship systems in Germany. I kindly ask you for 20 minutes of conversation by telephone, in a time which you choose. For your help I am very thankful.
        With respect,
        Paweł Nowicki
        """,
    ),
    _s(
        "question-would-mean-a-lot",
        "li_note",
        "question",
        """
        Hi Dara, we overlapped in Teach For America's Delta region, 2016 corps! I'd love to hear how you moved into education policy. A 20-minute call would mean a lot, whenever works for you. Thank you! Lena
        """,
    ),
    _s(
        "question-do-tell-me",
        "li_msg",
        "question",
        """
        Hi Søren, Katja from the Aalborg design meetup said you'd enjoy talking shop. Your essay on designing Danish pension apps was brilliant. Do tell me if a 15-minute call could work, any evening or weekend that suits you. Many thanks, Freya
        """,
    ),
    _s(
        "question-strict-would-welcome",
        "email",
        "question",
        """
        Dear Dr. Mahlangu,
        Professor Lindiwe Dube, my supervisor at Wits, suggested I contact you. Your study on nurse-led HIV clinics shaped my honours project. I would welcome twenty minutes of your time by phone, on any day you choose, to hear how you set up the clinics. Thank you for considering this.
        Sincerely,
        Thabo Nkosi
        """,
        strict=True,
    ),
    _s(
        "question-topic-asked-request-stated",
        "li_msg",
        "question",
        """
        Hi Ruth, Ellen from my Coursera study group mentioned you went from bookkeeping to running payroll for a whole school district. How did you make that jump? That's what I'd love to ask you about on a 20-minute call, at whatever time is good for you. Thanks a lot, Dina
        """,
    ),
    # ---------------------------------------------------------------- time: none, too much, or vague
    _s(
        "time-conversation-sometime",
        "email",
        "time",
        """
        Subject: From a fellow Howard grad
        Hi Terrence,
        We're both Howard grads, and I loved your Essence piece on financial planning for first-generation professionals. How did you build your practice in Atlanta from scratch? Would you be open to a conversation sometime, at whatever time suits you? Thank you so much.
        Jada Williams
        """,
    ),
    _s(
        "time-forty-five-on-zoom",
        "li_msg",
        "time",
        """
        Hi Elena, Marco from my Politecnico design class suggested I write. Your work on the Milan bike-lane signage is wonderful. Could we talk for 45 minutes on Zoom, whenever works for you? I'd love to hear how you pitched it to the city. Thanks so much! Giulia
        """,
    ),
    _s(
        "time-hour-on-the-phone",
        "phone",
        "time",
        """
        Hi, is this Denise Carter? Denise, Pastor Mike at Grace Church gave me your number; he said you've been a hospice chaplain for fifteen years. I'd love to hear how you came to it. Would you have an hour on the phone one evening, whenever suits you? Thank you so much for taking my call.
        """,
    ),
    _s(
        "time-watch-for-an-afternoon",
        "email",
        "time",
        """
        Subject: Your stone wall at Hadley Farm
        Hi Mr. Pryce,
        The dry-stone wall you rebuilt at Hadley Farm is the most beautiful thing on my walk to work. Could I come and watch you for an afternoon on one of your jobs, on any day that suits you? I'd love to see how you choose and place the stones. Thank you very much.
        Owen Hughes
        """,
    ),
    _s(
        "time-shadow-a-shift",
        "li_msg",
        "time",
        """
        Hi Precious, Sister Agnes from St. Luke's nursing school said you were the person to ask about ER nursing. I loved your post about triage during the Durban floods. Could I shadow you for a whole shift some time, whenever is convenient for you? Thank you so much. Zanele
        """,
    ),
    _s(
        "time-borrow-a-bit",
        "li_note",
        "time",
        """
        Hi Jonas, your talk at Berlin Buzzwords on search relevance was brilliant. Could I borrow a bit of your time to ask how you evaluate ranking changes, whenever suits you? Thanks a lot! Mira
        """,
    ),
    _s(
        "time-couple-of-hours",
        None,
        "time",
        """
        Dear Mr. Hallworth,
        Your book on church-roof restoration in Norfolk introduced me to the whole world of conservation carpentry. Would you be willing to meet for a couple of hours so I can ask how you learned the craft? I can travel to you on any day that suits you. With many thanks,
        Edward Lane
        """,
    ),
    _s(
        "time-quick-chat",
        "li_note",
        "time",
        """
        Hey Kofi, fellow Ashesi alum here! Your thread on mobile money in Ghana was brilliant. Up for a quick chat sometime so I can ask how you got into fintech? Any time works for me. Thanks!
        """,
    ),
    _s(
        "time-few-minutes-intro",
        "intro",
        "time",
        """
        Hi Gemma, you mentioned at the school gate that your husband Rob is a court reporter. Would you mind introducing us? I'd only need a few minutes of his time, whenever suits him, to ask how he trained in stenography. Thanks so much!
        """,
    ),
    _s(
        "time-every-few-weeks",
        "email",
        "time",
        """
        Subject: Your guest post in Lenny's Newsletter
        Hi Aditi,
        Your guest post in Lenny's Newsletter on running discovery in B2B healthcare was exactly what I needed. Would you be open to meeting every few weeks over the coming months, so I can learn how you approach discovery? I'm glad to fit around your schedule. Thank you so much for considering it.
        Best,
        Rohan
        """,
    ),
    _s(
        "time-ninety-minute-walkthrough",
        "li_msg",
        "time",
        """
        Hi Bettina, Lars from my ETH statistics class said you'd be happy to hear from me. Your paper on small-area estimation for Swiss census data was a revelation. Would you have 90 minutes for a video call to walk me through how you chose the priors? Any time that suits you is fine. Thanks a lot, Nico
        """,
    ),
    _s(
        "time-strict-brief-call",
        "email",
        "time",
        """
        Hi Coach Ramirez,
        We met at the Texas PE teachers' conference in Austin, at your session on adaptive games. How did you design them for wheelchair users? Would you be open to a brief call, at whatever time suits you? Thank you so much.
        Lupe Garcia
        """,
        strict=True,
    ),
    _s(
        "time-ride-along-weekend",
        "phone",
        "time",
        """
        Hi, is this Mr. Sato? Mr. Sato, your nephew Ken from my welding class gave me your number. He said you run a commercial HVAC crew in Sacramento. Could I ride along with your crew for a weekend, whichever one suits you, to see what the work is really like? Thank you so much.
        """,
    ),
    _s(
        "time-couple-of-calls",
        "li_msg",
        "time",
        """
        Hi Farid, we were both volunteers at the Calais refugee kitchen in 2017! I've read your report on asylum legal aid in France. Could we set up a couple of calls over the next month, at whatever times suit you, so I can hear how you moved into advocacy? Thank you very much. Aline
        """,
    ),
    _s(
        "time-flex-hour-monday-nine",
        "email",
        "time flexible",
        """
        Subject: Your Strata talk on model monitoring
        Hi Dr. Kumar,
        Your Strata talk on monitoring fraud models in production was the clearest thing I heard all week. How do you decide when a model has drifted enough to retrain? Could we do an hour on Zoom this Monday at 9am? Thank you for considering it.
        Best,
        Leo Park
        """,
    ),
    # ---------------------------------------------------------------- thanks: no thanks or appreciation
    _s(
        "thanks-lovely-week-signoff",
        "email",
        "thanks",
        """
        Subject: Fellow Wellesley alum, curious about museum education
        Hi Ms. Gordon,
        We're both Wellesley alumnae, and I was delighted to read your piece on family programs at the Isabella Stewart Gardner Museum. How did you move from classroom teaching into museum education? Would you be open to a 20-minute call, at whatever time is easiest for you? Hope you have a lovely week.
        Warmly,
        Aria Chen
        """,
    ),
    _s(
        "thanks-to-the-directory",
        "li_msg",
        "thanks",
        """
        Hi Matteo, thanks to the Bocconi alumni directory I found out we studied in the same finance programme, five years apart. Your move from audit into fintech operations is exactly what I'm curious about. How did you make it? Could we do a 20-minute call at any time that suits you? Best, Luca
        """,
    ),
    _s(
        "thanks-gratitude-as-a-topic",
        "email",
        "thanks",
        """
        Subject: Your paper on gratitude journaling in hospice staff
        Dear Dr. Lindholm,
        Your paper on gratitude journaling among hospice nurses is the reason I started my own journal on night shifts. How did you recruit nurses who were already exhausted? Could we speak for 20 minutes by phone, at any time that suits you?
        Kind regards,
        Maeve O'Connor
        """,
    ),
    _s(
        "thanks-terse-note",
        "li_note",
        "thanks",
        """
        Hi Yusuf, we met at the DevFest Lagos after-party. Could I ask how you moved into developer relations, over a 20-min call whenever suits you? Best, Tolu
        """,
    ),
    _s(
        "thanks-no-worries-if-swamped",
        "li_msg",
        "thanks",
        """
        Hey Kim, Jasmine from spin class said you design hospital lighting, which sounds fascinating. How did you end up in lighting design? Could we do a 20-minute call whenever works for you? No worries at all if you're swamped! Sam
        """,
    ),
    _s(
        "thanks-thanksgiving-break",
        "email",
        "thanks",
        """
        Subject: From a fellow Macalester Scot
        Hi Professor Lund,
        We're both Macalester alumni, and I just finished your book on Minnesota's prairie restoration over Thanksgiving break. How did you move from academia into running the Prairie Conservancy? Would you have 20 minutes for a phone call in December, at any time that suits you? Looking forward to hearing from you.
        Best,
        Erik Johansson
        """,
    ),
    _s(
        "thanks-blessed-evening",
        "phone",
        "thanks",
        """
        Hi, Mrs. Okoye? Good evening. Father Daniel at St. Jude's gave me your number and said you ran the parish food pantry for ten years. I'd love to hear how you kept volunteers coming back. Would you have twenty minutes for a call, any day that's good for you? Have a blessed evening.
        """,
    ),
    _s(
        "thanks-nonnative-waiting-answer",
        "email",
        "thanks",
        """
        Dear Mr. Fontaine,
        Your presentation at VivaTech in Paris about AI for lawyers was very inspiring for me. How your firm started to use these tools, I want to understand. Is it possible to have a call of 20 minutes? I adapt to your agenda completely. Waiting for your answer.
        Best regards,
        Kenji Watanabe
        """,
    ),
    _s(
        "thanks-intro-love-you",
        "intro",
        "thanks",
        """
        Hi Aunt Joyce, you mentioned at Christmas that your friend Rhonda is a flight nurse out of Denver. Would you be willing to connect us? I'd love to ask her what the work is like and how she trained for it. A 20-minute phone call at whatever time suits her would be plenty. Love you, see you at Easter!
        """,
    ),
    _s(
        "thanks-strict-best",
        "email",
        "thanks",
        """
        Hi Ms. Brooks,
        Jenna Lowe from the Austin UX book club said you'd be happy to hear from me. How did you move from journalism into content design at Etsy? Could we talk for 20 minutes, whenever suits you?
        Best,
        Tara
        """,
        strict=True,
    ),
    _s(
        "thanks-looking-forward",
        "li_msg",
        "thanks",
        """
        Hi Dr. Haddad, we met at the Boston data science meetup in January, where you spoke about hospital readmission models. How did you get clinicians to trust the predictions? Would a 25-minute video call work sometime, at whatever time suits you? Looking forward to it. Noor
        """,
    ),
    _s(
        "thanks-formal-kind-regards",
        None,
        "thanks",
        """
        Dear Ms. Ferreira,
        Professor Tavares, my advisor at the University of Porto, suggested I write to you. Your report on Portugal's social economy was central to my dissertation. How did you move from research into running a cooperative? Might we speak for thirty minutes by video, at a time of your choosing?
        With kind regards,
        Inês Costa
        """,
    ),
    _s(
        "thanks-take-care",
        "li_msg",
        "thanks",
        """
        Hi Ollie, we both played in the Leeds Uni brass band; I was the dodgy third cornet! Your post about leaving engineering to become a piano tuner made me smile. How did you learn the trade? Could we have a 20-minute call whenever suits you? Take care, Beth
        """,
    ),
    # ---------------------------------------------------------------- flexible: no offer to fit their schedule
    _s(
        "flex-tuesday-three-only",
        "email",
        "flexible",
        """
        Subject: From a fellow Bard debater
        Hi Nathaniel,
        We were both on the Bard debate team, and I've followed your work at the ACLU since. How did you choose civil liberties over a firm? Would you have 20 minutes for a call? I'm free Tuesday at 3pm only, so I hope that works. Thank you so much.
        Ella Rubin
        """,
    ),
    _s(
        "flex-silent-note",
        "li_note",
        "flexible",
        """
        Hi Claire, Tom from our Cambridge choir said you'd be kind enough to hear from me. How did you move from teaching into educational publishing? Could we do a 20-min call? Many thanks, Abby
        """,
    ),
    _s(
        "flex-ill-call-thursday",
        "phone",
        "flexible",
        """
        Hi, is this Ms. Fisher? Good morning. Jake Moreno from your church's men's group said you've run a daycare for twenty years. I'd love to hear how you built it and what licensing was like. Could we talk for fifteen minutes? I'll call back Thursday at 10 a.m. for that. Thank you so much.
        """,
    ),
    _s(
        "flex-my-lunch-break-only",
        "li_msg",
        "flexible",
        """
        Hi Hiroshi, we were both in the Osaka University robotics club! I saw your talk on warehouse robots at ROSCon. How did your team handle safety certification? Could we do a 20-minute call? The only time I can do is my lunch break, 12:30 to 1 on weekdays. Thank you! Yuki
        """,
    ),
    _s(
        "flex-knows-calendar-is-packed",
        "email",
        "flexible",
        """
        Subject: Your podcast episode on school counseling
        Hi Ms. Alvarez,
        I heard your episode of the School Counseling Simplified podcast, about building a peer-mentoring program, and loved it. How did you get teachers on board? Would you be open to a 20-minute phone call? I know your calendar must be packed. Thank you so much for considering it.
        Best,
        Jenna Liu
        """,
    ),
    _s(
        "flex-my-booking-page",
        "email",
        "flexible",
        """
        Subject: Your Open Source Summit talk
        Hi Dmitri,
        Your Open Source Summit talk on maintaining Kubernetes operators was brilliant. How do you decide what to deprecate? Could we do a 20-minute video call? Please pick one of the few times I have open on my booking page, cal.com/anna-berg. Thank you!
        Anna Berg
        """,
    ),
    _s(
        "flex-before-friday-deadline",
        None,
        "flexible",
        """
        Hi Leila,
        Sana from my MPH cohort at Emory told me you run the refugee health clinic in Clarkston. How did you build trust with such different communities? Could we talk for 20 minutes by phone this week, before Friday, since I leave for Lisbon on Saturday? Thank you so much.
        Hana Yousef
        """,
    ),
    _s(
        "flex-nonnative-two-mornings",
        "email",
        "flexible",
        """
        Dear Mr. Olsen,
        Your article in Teknisk Ukeblad about offshore wind maintenance was very good to read. How you plan the maintenance in bad weather, I am curious. Can we talk 20 minutes on phone? For me is possible only Monday or Wednesday at 8 o'clock in the morning. Thank you very much.
        Regards,
        Marek Dvořák
        """,
    ),
    _s(
        "flex-intro-wednesday-evening",
        "intro",
        "flexible",
        """
        Hi Paolo, you mentioned at five-a-side that your brother Luca is a sommelier at Noma. Could you introduce us? I'd love to ask him how he trained his palate. A 20-minute call would be perfect, but he'd need to ring me on a Wednesday evening, as that's my only free slot. Thanks so much, mate!
        """,
    ),
    _s(
        "flex-strict-silent-call",
        "phone",
        "flexible",
        """
        Hi, Dr. Nguyen? This is Mai; we met at the Vietnamese Nurses Association gala in April. I'd love to hear how you started the community diabetes clinic. Could you spare twenty minutes for a call? Thank you so much.
        """,
        strict=True,
    ),
    _s(
        "flex-monday-at-nine",
        "li_msg",
        "flexible",
        """
        Hi Greta, Tobias from my Bauhaus-Universität class said you worked on the Weimar housing co-op. How did the residents make design decisions together? Can we talk for 20 minutes next Monday at 9:00? Thanks a lot! Jan
        """,
    ),
    _s(
        "flex-invite-already-sent",
        "email",
        "flexible",
        """
        Subject: Fellow Bristol rower
        Hi Harriet,
        We both rowed for Bristol, though I arrived as you were leaving. I loved your talk at the Guardian's sustainable business summit. How did you move from consulting into the B Corp movement? Could we talk for 20 minutes? I've sent you an invite for Monday at 9:00 and blocked it in my diary. Thank you so much!
        Kit Lawson
        """,
    ),
    _s(
        "flex-after-seven-only",
        "li_msg",
        "flexible",
        """
        Hi Marcus, we were both volunteers with Big Brothers Big Sisters in Leeds! I read your blog about leaving teaching for social work. How did you manage the training while working? Could we do a 20-minute call? It'd have to be after 7pm on a weekday, since that's when I'm free. Thanks a lot, Dan
        """,
    ),
    # ---------------------------------------------------------------- about_them: mostly about the sender
    _s(
        "self-nurse-burnout-story",
        "email",
        "about_them",
        """
        Subject: A fellow Rush nursing grad
        Hi Monique,
        We both graduated from Rush's nursing program, though I finished in 2015. I spent six years on a med-surg floor, then two in home health, and I've recently started feeling burned out. I've always loved teaching patients, and I think I'd enjoy something with more education in it. My family keeps telling me to go back for a master's, but I'm not sure. I saw you teach at Rush now. Could we talk for 20 minutes? Any time that suits you works. Thank you so much!
        Tasha Reid
        """,
    ),
    _s(
        "self-ux-stuck-feelings",
        "li_msg",
        "about_them",
        """
        Hi Jonah, Ari from our Brooklyn co-working space said you'd be good to talk to. I've been feeling stuck for a while. I studied architecture, loved it, and then burned out completely after two years at a large practice. I've been teaching myself Figma at night, and I keep thinking UX might fit the way my brain works. I'm nervous about starting over at 31. Could we have a 20-minute call, whenever suits you? Thank you! Dana
        """,
    ),
    _s(
        "self-finance-skills-list",
        "email",
        "about_them",
        """
        Subject: Fellow McGill Desautels grad
        Hi Philippe,
        We both studied at Desautels. I graduated in 2020 with a major in finance and a minor in computer science, and I've since passed CFA Level II. I'm fluent in Python, SQL and Bloomberg, and I built a small factor-investing model that returned 11% in backtests. I also speak French, English and Mandarin. Could we talk for 20 minutes about quant research? Any time that suits you is fine. Thank you!
        Wei Zhang
        """,
    ),
    _s(
        "self-teaching-my-goals",
        "li_msg",
        "about_them",
        """
        Hi Mr. Ellison, Coach Barnes at Dunbar High told me to write. My goal is to be teaching history within two years. I'm finishing my degree at Morgan State this spring, I've tutored middle schoolers for three summers, and I've started a podcast about Black history in Baltimore. I really want my future students to love history the way I do. Could we talk for 20 minutes, whenever works for you? Thank you, sir. Jamal
        """,
    ),
    _s(
        "self-law-fathers-story",
        "email",
        "about_them",
        """
        Dear Ms. Haverford,
        Your former clerk, James Whitley, suggested that I write to you. I have worked as a paralegal for five years, mostly on commercial leases, and I have recently been admitted to the evening JD program at Suffolk. I chose law because my father lost his business in a landlord dispute when I was twelve. I am determined to become the kind of lawyer he never had. Would you have twenty minutes for a call? I will work around your schedule. Thank you for your consideration.
        Sincerely,
        Rosa Benítez
        """,
    ),
    _s(
        "self-nonnative-data-biography",
        "email",
        "about_them",
        """
        Dear Mr. Becker,
        Your colleague Dr. Anja Roth, my teacher in Mannheim, gave me your address. I am from Ukraine, I studied mathematics in Kharkiv, and in 2022 I came to Germany. Now I learn German and finish a course in data science. I like very much statistics and I have made projects with Python and R. I want to stay in Germany and build my future here. Is it possible to talk 20 minutes by phone? I adapt to your time. Thank you very much.
        Olena Kravchenko
        """,
    ),
    _s(
        "self-trades-so-about-me",
        "phone",
        "about_them",
        """
        Hey, is this Rick? Rick, your buddy Carl from the lumber yard said I should call. So, I'm twenty-four, I've been doing landscaping since high school, and I'm pretty good with my hands. I did a semester of community college but it wasn't for me. My dad was a roofer, and I've been thinking I might want to get into roofing myself. Could you spare fifteen minutes to talk sometime, whenever's good for you? Appreciate it, man.
        """,
    ),
    _s(
        "self-returner-pta-years",
        "email",
        "about_them",
        """
        Subject: Hello from a fellow Oberlin alum
        Dear Ms. Tan,
        We are both Oberlin alumnae. I spent twelve years at home raising my three children, and during that time I chaired the PTA, ran our town's coat drive, and organised a reading program at the library. Now that my youngest has started high school, I'm ready for something new, and I'm excited and a little terrified. I know nonprofit work is where my heart is. Would you have 20 minutes for a call? I'm happy to work around your schedule. Thank you!
        Linda Moreau
        """,
    ),
    _s(
        "self-chemist-note",
        "li_note",
        "about_them",
        """
        Hi Tom, we met at PyCon! I'm a chemist who learned Python in lockdown, built a lab-scheduling app, and now dream of working with data full time. I'm excited but unsure. Could we do a 20-min call, any time that suits you? Thanks! Raj
        """,
    ),
    _s(
        "self-intro-my-worries",
        "intro",
        "about_them",
        """
        Hi Fatima, you said at the mosque that your sister Amal is a nurse practitioner. I finished my BSN in May, I've been working nights on a telemetry unit, and I'm starting to think about NP school, but I'm scared of the debt. I also don't know if I'm ready, and my parents want me to do medicine instead. Would you introduce me to her? Just a 20-minute call, whenever suits her. Thank you so much!
        """,
    ),
    _s(
        "self-strict-pastry-chef",
        "li_msg",
        "about_them",
        """
        Hi Priya, Leah from my General Assembly cohort said you'd be kind to ask. I'm a former pastry chef, I finished the UX course in March, and I've done three redesigns for local bakeries. I love the research part most. Could we talk for 20 minutes, whenever suits you? Thank you! Nina
        """,
        strict=True,
    ),
    _s(
        "self-teacher-exhausted",
        "email",
        "about_them",
        """
        Subject: From a fellow Teach First ambassador
        Hi Martin,
        We both came through Teach First. I've taught maths in Birmingham for four years, and honestly I'm exhausted. I love my kids, but the marking and the behaviour management are wearing me down, and I've started to wonder if I'm cut out for this. I've been reading about educational technology and wondering if I'd be happier there. Could we talk for 20 minutes? I can work around your diary. Many thanks,
        Sian
        """,
    ),
    _s(
        "self-finance-a-bit-about-me",
        "phone",
        "about_them",
        """
        Hello, Ms. Reyes? This is Carlos Medina; your cousin Ana from my accounting class gave me your number. A bit about me: I'm in my last year at Florida International, I'm treasurer of our accounting society, I've passed two CPA sections already, and I've done the taxes for my family's restaurant since I was sixteen. I really want to be in forensic accounting one day. Could you spare fifteen minutes, whenever is good for you? Thank you so much.
        """,
    ),
    # ---------------------------------------------------------------- placeholders: something left unfilled
    _s(
        "ph-bracket-name",
        "email",
        "placeholders",
        """
        Subject: From a fellow Vassar alum
        Hi [Name],
        We're both Vassar grads, and I loved your piece on turning old mills in the Hudson Valley into housing. How did you move from architecture into preservation? Would you have 20 minutes for a call, at whatever time suits you? Thank you so much.
        Claire Dubois
        """,
    ),
    _s(
        "ph-curly-first-name",
        "li_note",
        "placeholders",
        """
        Hi {first_name}, we met at the Women in Data Science conference at Stanford! How did you move into healthcare analytics? Could we do a 20-min call whenever suits you? Thanks a lot! Ruth
        """,
    ),
    _s(
        "ph-angle-company",
        "li_msg",
        "placeholders",
        """
        Hi Daniel, Kemi from my Andela cohort said you'd be open to a message. I loved your write-up on scaling the payments API at <Company>. How did you handle the migration? Could we do a 20-minute call at any time that suits you? Thanks! Tunde
        """,
    ),
    _s(
        "ph-double-angle-conference",
        "email",
        "placeholders",
        """
        Subject: Your talk at <<Conference name>>
        Dear Ms. Ortega,
        Your talk at <<Conference name>> on community solar co-ops has stayed with me. How did you win over the first households? Would you be open to a 20-minute call, whenever suits you? Thank you for considering it.
        Best regards,
        Samuel Frey
        """,
    ),
    _s(
        "ph-xx-date",
        "email",
        "placeholders",
        """
        Subject: Great to meet you at the Stern mixer
        Hi Mr. Whitman,
        We spoke briefly at the NYU Stern alumni mixer on XX/XX about your move into municipal finance. How did you find the shift from banking? Could we talk for 20 minutes by phone, whenever is easiest for you? Thank you so much.
        Best,
        Grace Lin
        """,
    ),
    _s(
        "ph-todo-left-in",
        "email",
        "placeholders",
        """
        Subject: Your Kaggle notebook on sepsis prediction
        Hi Dr. Amin,
        Your Kaggle notebook on early sepsis prediction from vital signs was brilliant. TODO: mention the part about missing data. How did you get the hospital to share the data? Could I ask you over a 20-minute video call, at any time that suits you? Thanks very much,
        Kareem
        """,
    ),
    _s(
        "ph-underscore-colleague",
        None,
        "placeholders",
        """
        Dear Mr. Hollis,
        Your colleague ______ suggested I get in touch about your work restoring the stained glass at Lincoln Cathedral. How did you learn the leading techniques? Would you have twenty minutes for a call, whenever suits you? Thank you for considering it.
        Yours sincerely,
        Ada Pennington
        """,
    ),
    _s(
        "ph-your-name-in-call",
        "phone",
        "placeholders",
        """
        Hi, is this Ms. Obi? Good afternoon, this is (YOUR NAME), a friend of your son Chinedu from university. I'd love to hear how you built your catering business in Houston. Could you spare fifteen minutes for a call sometime this week or next, whenever suits you? Thank you so much.
        """,
    ),
    _s(
        "ph-lastname-caps",
        "email",
        "placeholders",
        """
        Subject: Fellow Spelman alumna
        Dear Ms. LASTNAME,
        We are both Spelman alumnae, and your talk at the Atlanta Women in Law luncheon on voting-rights litigation stayed with me. How did you come to voting rights? Would you have twenty minutes for a call, at any time convenient for you? Thank you for your consideration.
        Sincerely,
        Brianna Hollis
        """,
    ),
    _s(
        "ph-hi-name-caps",
        "li_note",
        "placeholders",
        """
        Hi NAME, we were both in the Stanford d.school bootcamp! I loved your case study on hospital discharge forms. Could I ask how you ran the research, over a 20-min call whenever suits you? Thanks! Omar
        """,
    ),
    _s(
        "ph-insert-specific-finding",
        "email",
        "placeholders",
        """
        Subject: Your paper on soil carbon
        Dear Dr. Moreau,
        Your recent paper on soil carbon in Breton pastures was fascinating, especially [insert specific finding]. How did you set up the long-term plots? Would you have 20 minutes for a video call at a time that suits you? Thank you very much.
        Best regards,
        Yann Le Gall
        """,
    ),
    _s(
        "ph-signature-your-name",
        "li_msg",
        "placeholders",
        """
        Hi Marta, Jordi from the Barcelona UX Writers group said you'd be happy to chat. Your talk on microcopy for banking errors was excellent. How do you test error messages with real users? Could we do a 20-minute call at any time that suits you? Thank you! [Your Name]
        """,
    ),
    _s(
        "ph-mustache-school",
        "email",
        "placeholders",
        """
        Subject: A note from a fellow {{school}} alum
        Hi Aaron,
        We both went to {{school}}, and I loved your interview on the Teaching Hard History podcast. How do you teach Reconstruction to eighth graders? Would you be up for a 20-minute call whenever suits you? Thanks so much,
        Mia Lawrence
        """,
    ),
    _s(
        "ph-intro-blank-friend",
        "intro",
        "placeholders",
        """
        Hi Soph, you mentioned at Hannah's birthday that your friend ___ is a veterinary nurse in Bristol. Would you be happy to introduce us? I'd love to ask how she trained and what the work is like. Twenty minutes on the phone, whenever suits her, would be perfect. Thank you so much!
        """,
    ),
    _s(
        "ph-first-name-long-note",
        "li_note",
        "placeholders linkedin_limit",
        """
        Hi [First Name], we were both in Columbia Journalism School's data journalism programme, a few years apart. I loved your ProPublica investigation into nursing-home staffing and the way you built the dataset from state inspection records. Could I ask how you cleaned them, over a 20-minute call whenever suits you? Thanks so much! Priya
        """,
    ),
    # ---------------------------------------------------------------- linkedin_limit: a note over 300 characters
    _s(
        "li-limit-nurse-crisis-cafe",
        "li_note",
        "linkedin_limit",
        """
        Hi Adaeze, we were in the same nursing cohort at King's College London, though you were on the adult branch and I was on mental health. I've just read your RCN Bulletin piece on nurse-led crisis cafés and loved it. Could I ask how you set up the Lambeth café, over a 20-minute call whenever suits you, evenings included? Thank you so much! Bisi
        """,
    ),
    _s(
        "li-limit-finance-private-credit",
        "li_note",
        "linkedin_limit",
        """
        Hi Stefan, your talk at the CFA Society Zurich on private credit valuation was the best session of the evening, especially your point about stale marks. I'd love to hear how you moved from equity research into private credit and what surprised you most. Could we have a 20-minute call at any time that suits you, early or late? Many thanks, Lukas
        """,
    ),
    _s(
        "li-limit-ux-accessibility-audit",
        "li_note",
        "linkedin_limit",
        """
        Hi Chloé, Margaux from my Ironhack Paris cohort gave me your name and said you were the one to ask about accessibility audits. Your write-up of the SNCF ticketing audit is brilliant. How do you prioritise fixes when everything seems urgent, and how do you bring the developers along? Could we talk for 20 minutes, whenever suits you? Thank you so much! Léa
        """,
    ),
    _s(
        "li-limit-teaching-old-pupil",
        "li_note",
        "linkedin_limit",
        """
        Hi Mr. Oyelowo, I was in your Year 9 geography class at Highbury Grove back in 2012, and the volcano model is still in my parents' loft! I'd love to hear how you've kept your lessons so alive for so many years, and what you'd tell someone thinking of teaching now. Could I ask you over a 20-minute call, any time that suits you? Thank you, sir. Kemi
        """,
    ),
    _s(
        "li-limit-data-late-arriving",
        "li_note",
        "linkedin_limit",
        """
        Hi Beatriz, we met at the dbt meetup in Lisbon last month, where you showed how your team tests revenue models. I've been trying to copy your approach with incremental models and keep hitting the same snags. Would you have 20 minutes for a call so I can ask how you handle late-arriving data? Any time that suits you is fine. Thank you! Tiago
        """,
    ),
    _s(
        "li-limit-trades-heat-pumps",
        "li_note",
        "linkedin_limit",
        """
        Hi Mr. Abara, your nephew Kelechi, who plays five-a-side with me on Thursdays, told me you've run an electrical contracting firm in Peckham for twenty years. I'd love to hear how you built it up from one van and what you think about the move to heat pumps. Could we talk for 20 minutes, whenever suits you? Many thanks, Joe
        """,
    ),
    _s(
        "li-limit-nonprofit-farmworker-clinic",
        "li_note",
        "linkedin_limit",
        """
        Hi Esperanza, I heard your interview on Latino USA about the farmworker legal clinic you started in Salinas, and I haven't stopped thinking about it. How did you find funding in the first year, and how did you earn the workers' trust? Could I ask you about it over a 20-minute phone call, at whatever time suits you, evenings included? Thank you so much. Ramona
        """,
    ),
]
