"""The precompiled patterns behind :func:`newsfold.clean.clean_text`.

Every rule is general: it describes a *kind* of scraping debris (an HTML comment, a photo
credit, a share button's label, a syndication note), never a string from one page. Rules that
could hit real prose are gated on the line being short and not reading like a sentence.
"""

from __future__ import annotations

import re

from ..text import CLOSING_MARK, END_MARK

# --------------------------------------------------------------------------------------------
# HTML leftovers (applied to the whole text, before it is split into paragraphs)
# --------------------------------------------------------------------------------------------

_DASHES = r"(?:--|[–—])"
"""'--' in a comment marker, or what an editor's smart punctuation turned it into."""

HTML_COMMENT_RE = re.compile(rf"<!{_DASHES}[\s\S]{{0,20000}}?{_DASHES}>")
"""A whole comment, also mangled (``<!– … –>``) and spanning paragraphs."""

HTML_COMMENT_OPEN_RE = re.compile(rf"<!{_DASHES}[^\n]*")
"""An opener whose closer never comes: drop it and the rest of its line."""

HTML_COMMENT_CLOSE_RE = re.compile(r"^[^\n<>]{0,120}?(?:--|[–—])>[ \t]*$", re.MULTILINE)
"""An orphan closer (``End comment –>``) whose opener was lost: drop up to it."""

CDATA_RE = re.compile(r"<!\[CDATA\[[\s\S]{0,20000}?\]\]>|<!\[(?:end)?if[^\]]{0,200}\]>", re.I)

SCRIPT_STYLE_RE = re.compile(
    r"<(script|style|noscript|iframe|svg)\b[^>]{0,2000}>[\s\S]{0,100000}?</\1\s*>", re.I
)

_TAG_NAMES = (
    "a|abbr|address|area|article|aside|audio|b|bdi|bdo|big|blockquote|body|br|button|canvas|"
    "caption|center|cite|code|col|colgroup|data|dd|del|details|dfn|dialog|div|dl|dt|em|embed|"
    "fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hgroup|hr|html|i|iframe|img|"
    "input|ins|kbd|label|legend|li|link|main|mark|meta|meter|nav|noscript|object|ol|optgroup|"
    "option|output|p|param|path|picture|pre|progress|q|s|samp|script|section|select|small|"
    "source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|"
    "tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr|g|use|amp-img|amp-ad"
)
HTML_TAG_RE = re.compile(
    rf"</?(?:{_TAG_NAMES})(?=[\s/>])(?:\s[^<>]{{0,2000}})?/?>", re.I
)
"""A known HTML tag. Unknown ``<words>`` stay, so "x <y and y> z" in prose is safe."""

HTML_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# --------------------------------------------------------------------------------------------
# Link debris
#
# LINK_LINE_RE, CLICK_HERE_RE and the PROMO_* patterns below are written in lower case and
# applied to the lower-cased paragraph (compiled without re.I, which matches faster).
# --------------------------------------------------------------------------------------------

VIEW_ORIGINAL_RE = re.compile(
    r"\s*\bView (?:the )?[Oo]riginal (?:[Pp]ost|[Aa]rticle|[Ss]tory)(?![a-z])[ \t]*"
    r"(?:[»›→]+[ \t]*)?"
)
""""View original post": a feed reader's link label, removed wherever it sits (also glued)."""

TRAILING_LINK_RE = re.compile(
    r"(?<=[.!?…\"”’)\]])[ \t]*(?:\[…\]|\[\.\.\.\][ \t]*)?"
    r"(?:Continue [Rr]eading|Read [Mm]ore|READ MORE|Read the (?:full|rest of the) "
    r"(?:[Ss]tory|[Aa]rticle|[Pp]ost)|Keep [Rr]eading)"
    r"(?:[ \t]*(?:»|›|→|\.\.\.|…|>>|\.))?[ \t]*(?:[^\s\w]{0,3})$"
)
"""A "Continue reading →" label glued to the end of a paragraph after its last sentence."""

_LINK_LEADS = (
    r"related(?: (?:articles?|stories|coverage|content|links?|reading|news|posts?|video))?"
    r"|read (?:more|also|next|this|the full (?:story|article)|the latest)|also read"
    r"|see (?:also|more)|more(?: on (?:this|that)(?: story)?| from [\w .&'-]{1,40}| stories)?"
    r"|recommended(?: (?:reading|for you|stories|articles))?|further reading|don'?t miss|trending"
    r"|more coverage|top stories|latest news|popular|most (?:read|popular|viewed)"
    r"|watch|listen|video|podcast|explore more|in (?:case you missed it|other news)"
    r"|lesen sie (?:auch|mehr|hier)|mehr zum thema|auch interessant|lire (?:aussi|également)"
    r"|à lire (?:aussi|également)|lea (?:también|más)|lee también|leia também|vea también"
    r"|auch lesen|zum weiterlesen|weitere (?:themen|artikel|beiträge)|mehr themen"
    r"|(?:le|te|les) puede(?:n)? interesar|también te puede interesar|puedes ver|mira también"
    r"|(?:notas|noticias|artículos|contenidos?) relacionad[oa]s?|más sobre [\w .]{1,40}"
    r"|czytaj (?:też|także|również)|zobacz (?:też|także|również)|leia mais|veja também"
    r"|leggi anche|vedi anche|voir aussi|sur le même sujet|(?:you )?may also like"
)
LINK_LINE_RE = re.compile(
    rf"^(?:(?:{_LINK_LEADS})\s*(?::|»|›|→|>>|\||–|—|-)\s*\S.*"
    r"|(?:continue reading|read more|read the full (?:story|article)|keep reading|show more"
    r"|load more|see more|more stories|view (?:all|more|comments|gallery)|related(?: articles?"
    r"| stories| content)?|read next|next (?:article|story|post)|previous (?:article|story|post)"
    r"|back to top|scroll to (?:top|continue)|jump to comments?|open in app|print this page"
    r"|weiterlesen|mehr lesen|lire la suite|leer más|seguir leyendo"
    r"|(?:notas|noticias|artículos|contenidos?) relacionad[oa]s?|auch interessant"
    r"|mehr zum thema|weitere (?:themen|artikel|beiträge|informationen)|mehr themen"
    r"|empfohlene (?:beiträge|artikel)|schon gelesen|zum weiterlesen|top[- ]themen(?: .{1,30})?"
    r"|lesen sie (?:auch|hier)(?: die folgenden (?:beiträge|artikel))?"
    r"|(?:das|dieses) (?:thema )?könnte (?:dich|sie) auch interessieren"
    r"|you (?:may|might) also like|más sobre .{1,40}|sur le même sujet|inhaltsverzeichnis"
    r"|table of contents|explore further|meist ?gelesen|am meisten gelesen|most read"
    r"|weitere pressemitteilungen(?: .{1,60})?)"
    r"\s*(?:[»›→>.:…?]|\.\.\.)*\s*(?:\(\d+\))?)$",
)
"""A whole line that is a link label: "Related: …", "Read more: …", "Continue reading"."""

SHORT_LEAD_LINK_RE = re.compile(r"^(?:lea|mire|mira|vea|ver)\s*:\s*\S[^\n]*[^.\n]$", re.I)
"""A Spanish "Lea: <headline>" link (the headline does not end with a full stop)."""

CLICK_HERE_RE = re.compile(
    r"\b(?:(?:click|tap) here|hier klicken|klicken sie hier|klick hier|cliquez ici"
    r"|haga clic aquí|haz clic aquí|pulsa aquí|kliknij tutaj)\b"
)
CLICK_WORDS = ("here", "hier", "ici", "aquí", "tutaj")
"""One of these is in every CLICK_HERE_RE match (a cheap test before the search)."""
CLICK_WORD_RE = re.compile("|".join(map(re.escape, CLICK_WORDS)))
"""Any of CLICK_WORDS, anywhere (a plain alternation of literals: a fast scan)."""

# --------------------------------------------------------------------------------------------
# Photo captions and credits
# --------------------------------------------------------------------------------------------

_AGENCIES = (
    r"AP|AFP|Reuters|REUTERS|EPA|EPA-EFE|EFE|Getty(?: Images)?|Pool|POOL|Xinhua|Bloomberg|"
    r"Shutterstock|iStock(?:photo)?|Alamy|Sipa(?: USA)?|ANP|dpa|DPA|TASS|Sputnik|Kyodo|Yonhap|"
    r"UPI|NurPhoto|ZUMA(?: Press| Wire)?|Zuma(?: Press)?|Anadolu(?: Agency)?|PA(?: Wire)?|"
    r"PA Images|Rex|REX|Rex Features|Corbis|Unsplash|Pexels|Wikimedia Commons|Flickr|"
    r"SOPA Images|LightRocket|Abaca|Polaris|Redux|NYT|The New York Times|Handout|HANDOUT|"
    r"Courtesy|File|FILE|Contributor|Staff|AP Images|Associated Press"
)
_CAP_WORD = r"(?:[A-Z][\w'’.\-]*|[A-Z]\.|(?:de|da|van|von|der|den|du|le|la|al|el|bin|di|dos))"
_ORG_WORD = r"(?:[A-Z0-9][\w'’.&\-]*|of|for|the|and|via|in|on|de|du|des|la|le|&|/)"
_NAME = rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{1,4}}"
_ORG = rf"{_ORG_WORD}(?:[ \t]+{_ORG_WORD}){{0,7}}"

_CREDIT_BODY = (
    rf"(?:(?:{_AGENCIES})(?:[ \t]+(?:Photo|Images|Photos|Photograph))?[ \t]*/[ \t]*{_ORG}"
    rf"|(?:{_AGENCIES})[ \t]+Photo"
    rf"|{_NAME}[ \t]*/[ \t]*{_ORG}"
    r"|(?:[Pp]hotos?|[Pp]hotograph|[Pp]hotography|[Ii]mage|[Pp]icture|[Vv]ideo|[Ff]ile photo"
    r"|[Ii]llustration|[Cc]redits?|[Cc]ourtesy|[Ff]oto|[Bb]ild)"
    r"(?:[ \t]*:|[ \t]+(?:by|credit:?|courtesy(?: of)?|of|from)\b)[ \t]*[^()\n]{2,100}"
    r"|[Cc]ourtesy(?: of)?[ \t]+[^()\n]{2,80}"
    r"|Getty Images|Shutterstock|iStock(?:photo)?|File photo|FILE PHOTO|[Ff]ile|Handout)"
)
TRAILING_CREDIT_RE = re.compile(rf"\([ \t]*{_CREDIT_BODY}[ \t]*\)[ \t]*\.?$")
"""A paragraph ending in a parenthesised photo credit: it is a caption."""

TRAILING_LABEL_CREDIT_RE = re.compile(
    r"(?:^|[.!?”\"’)|\-–—][ \t]*|[ \t])(?:\||[-–—])?[ \t]*"
    r"(?:Photo(?:graph)?s?|Image|Picture|Credit|Illustration|Video|Foto|Bild)"
    r"(?:[ \t]+credit)?[ \t]*:[ \t]*(?=[A-Z©(\d]|[a-z][\w-]*(?:[ \t][\w-]+)?$|[^\n]*/)"
    r"[^.!?\n:]{2,90}$"
)
"""A paragraph ending in "Photo: Name/Agency" / "Photograph: …" (Guardian-style captions)."""

CREDIT_LINE_RE = re.compile(
    r"^\(?[ \t]*(?:"
    r"(?i:(?:(?:photo(?:graph)?s?|image|picture|video|illustration|graphic|map|chart)[ \t]*"
    r"(?:credits?|courtesy(?: of)?)\b[ \t]*[:\-–]?|credits?[ \t]*:|courtesy of\b))"
    r"[ \t]*.{0,120}"
    r"|(?i:(?:photo(?:graph)?s?|image|picture|illustration|foto|bild|quelle|source)[ \t]*"
    r"(?:by\b|:|/))[ \t]*.{1,120}"
    r"|(?i:(?:titelbild|beitragsbild|aufmacherbild|headerbild|bildquelle|bildnachweis"
    r"|fotonachweis|fotos|crédits? photos?|crédit photo|image illustrative|fotografía"
    r"|copyright)[ \t]*:)[ \t]*.{1,120}"
    r"|(?i:(?:top|main|lead|header|featured|cover)[ \t]+(?:photo|image|picture)[ \t]*"
    r"(?::|by\b)).{1,120}"
    rf"|{_CREDIT_BODY}"
    r")[ \t]*\)?\.?$"
)
"""A standalone credit line: "Credit: …", "Photo by …", "Kent Nishimura / Los Angeles Times"."""

_MONTHS_UC = (
    r"JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|"
    r"JAN\.?|FEB\.?|MAR\.?|APR\.?|JUN\.?|JUL\.?|AUG\.?|SEPT?\.?|OCT\.?|NOV\.?|DEC\.?"
)
GETTY_CAPTION_RE = re.compile(
    r"^[A-Z][A-Z.'’ \-]{1,40},[ \t]+[A-Z][A-Za-z.'’ \-]{0,30}[ \t]+[-–—][ \t]+"
    rf"(?:{_MONTHS_UC})[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?[ \t]*:[ \t]+\S"
)
"""A Getty-style caption: "WASHINGTON, DC - DECEMBER 27: …"."""

TRAILING_COPYRIGHT_CREDIT_RE = re.compile(
    r"(?<=[.!?)])[ \t]*©[ \t]*[A-Z][\w.&'’ -]{0,30}(?:[ \t]*/[ \t]*[\w.&'’ -]{1,40})?$"
)
"""A caption ending in "© AFP / NAME": the credit glued after its last sentence."""

# --------------------------------------------------------------------------------------------
# Share / subscribe / newsletter / advertisement / cookie lines
# --------------------------------------------------------------------------------------------

PROMO_START_RE = re.compile(
    r"^(?:"
    r"share(?: (?:this|on|via|with your|to|article|story|post|page)\b|\s*[:!]|\s*$)"
    r"|sign[- ]?up (?:for|to|here|now|today)\b|sign[- ]?up\s*[:!]?\s*$|subscribe\b"
    r"|unsubscribe\b|already (?:a )?(?:subscriber|member|registered)"
    r"|(?:become|join) (?:a|our) (?:member|subscriber)"
    r"|follow (?:us|me)\b|follow [\w@.&' -]{1,40} on (?:twitter|facebook|instagram|x|linkedin"
    r"|tiktok|threads|bluesky|youtube|mastodon)\b|like us on facebook|find us on (?:facebook|"
    r"twitter|instagram)|join (?:us|our|the conversation|the discussion)\b"
    r"|get (?:our|the|a|your)\b.{0,40}\b(?:newsletter|app|alerts?|updates|digest|briefing|"
    r"headlines|in your inbox|emails?)\b"
    r"|download (?:our|the) .{0,30}\bapp\b|(?:install|try) our .{0,30}\bapp\b"
    r"|(?:story|article|text|content) continues (?:below|after)|skip (?:advertisement|ad)\b"
    r"|(?:advertisement|advertising|sponsored(?: content| post)?|paid (?:content|post)|anzeige"
    r"|werbung|publicité|publicidad)\s*(?:[-–—:|]\s*(?:scroll|continue|story|article|read)"
    r"[^.]*)?$|sponsored by\b"
    r"|we use cookies|this (?:web)?site uses cookies|(?:accept|manage|reject) (?:all )?cookies"
    r"|by (?:clicking|continuing to (?:use|browse)|using (?:this|our) (?:site|website|service))"
    r"|all rights reserved|©|\(c\) \d{4}|copyright (?:©\s*)?\d{4}"
    r"|(?:write|leave|post|add) a (?:comment|reply)|comments? (?:are|is) (?:closed|disabled)"
    r"|\d+ comments?$|notify me (?:of|when)\b|(?:please )?enter your (?:email|e-mail)\b"
    r"|newsletter abonnieren|jetzt abonnieren|abonnieren sie"
    r")",
)
"""Lines that start like a share button, sign-up box, ad slot or cookie banner."""

DISCLOSURE_RE = re.compile(
    r"^(?:this (?:post|article|page|story|content) (?:contains|may contain|includes) (?:affiliate "
    r"links|references to products|sponsored)|(?:we|this site) may (?:earn|receive) (?:a )?"
    r"(?:commission|compensation)|(?:disclosure|advertiser disclosure)\s*:)",
    re.I,
)
"""An affiliate/advertiser disclosure paragraph (allowed up to DISCLOSURE_MAX_WORDS)."""

DISCLOSURE_MAX_WORDS = 90

PROMO_WEAK_RE = re.compile(
    r"^(?:"
    r"(?:stay|keep) (?:up[- ]to[- ]date|informed|connected|in touch|in the loop)\b"
    r"|never miss|don'?t miss (?:out|a story|an update)|want (?:more|the latest)\b"
    r"|(?:support|donate to) (?:our|us|independent|local|quality|the) (?:\w+ )?(?:journalism|"
    r"reporting|newsroom|work)|your (?:email|e-mail) address"
    r"|(?:print|email|e-mail|tweet|pin|pin it|whatsapp|copy link|copy url|save|facebook|twitter"
    r"|linkedin|reddit|flipboard|messenger|telegram|comments?|gift (?:this )?article|teilen"
    r"|partager|compartir|drucken|kommentare)\s*$"
    r"|(?:[\w-]+ ){0,2}(?:teilen|share|partager|compartir)\s*:\s*$"
    r"|(?:privacy|cookie) (?:policy|settings|preferences|notice|statement)|terms (?:of|and) "
    r"(?:service|use|conditions)|(?:contact|about) us|impressum|imprint|datenschutz|sitemap"
    r"|do not sell my"
    r")",
)
"""Weaker starts: only a promo when the line is short and does not end with a full stop."""

PROMO_KEYWORD_RE = re.compile(
    r"\b(?:newsletters?|subscribe|subscription|subscribers?|sign[- ]?up|advertisement|"
    r"advertising|sponsored|cookies? (?:policy|settings|consent|preferences|banner)|"
    r"(?:use|uses|accept|allow) cookies|follow us|share this|(?:in|to) your inbox|"
    r"push notifications?|"
    r"download the app|our app|privacy policy|terms of (?:service|use)|all rights reserved)\b",
)
"""Words that, in a short non-sentence line, mark it as promo."""

PROMO_MAX_WORDS = 30
"""A start-matched promo line is at most this long; longer text is prose."""

KEYWORD_PROMO_MAX_WORDS = 12
"""A keyword-only promo line is at most this long and does not end like a sentence."""

# --------------------------------------------------------------------------------------------
# Syndication and wire notes
# --------------------------------------------------------------------------------------------

_BULLET = r"^[ \t]*(?:[•·*▪►■—–\-]+[ \t]*)?"

SYNDICATION_RE = re.compile(
    _BULLET + r"(?:"
    r"(?:This|The) (?:story|article|post|piece|report|column|essay|interview|item|content)"
    r"(?: above)? (?:was |is |has been )?(?:originally |first )?"
    r"(?:appeared|published|ran|posted|syndicated|republished|reprinted|produced)"
    r"(?: originally| first)?(?: (?:by|in|on|at|from|with)) "
    r"|Originally (?:published|appeared|posted|ran)(?: (?:by|in|on|at))? "
    r"|(?:Republished|Reprinted) (?:with permission )?(?:from|by) "
    r"|First (?:published|appeared) (?:in|on|by|at) "
    r")(?:the (?=[a-z]))?(?P<source>[^\n]{2,120}?)"
    r"(?:,? (?:on|in) (?:\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4}|\d{4}-\d\d-\d\d))?"
    r"(?:[.!]|[,;] and (?:is|was) [^\n]{0,120}[.!]?)?(?:[ \t]+(?:Read|See|View) the original"
    r"[^\n]{0,80})?[ \t]*$"
)
"""A syndication note naming the outlet that first ran the story."""

_WIRES = (
    r"(?:The )?Associated Press|AP|Reuters|Agence France-Presse|AFP|Bloomberg(?: News)?|dpa|"
    r"Deutsche Presse-Agentur|UPI|United Press International|Xinhua|Kyodo(?: News)?|Yonhap|"
    r"TASS|ANSA|EFE|Press Association|PA|Canadian Press|(?:The )?Canadian Press|CNN Wire|"
    r"Tribune News Service|(?:wire|news) (?:services?|agencies)|(?:wire|news) agency reports"
)
WIRE_RE = re.compile(
    _BULLET + r"(?:"
    r"(?:This|The) (?:article|story|report|post|piece) (?:includes|contains|uses|has|incorporates"
    r"|was compiled (?:from|with)|is based on|draws on)(?: (?:material|information|reporting)"
    r" from)?(?: the)? (?:wire(?: service)?|news (?:service|agency)|agency) (?:reports?|material"
    r"|reporting|copy)"
    r"|(?:[Ww]ith|[Ii]ncludes?|[Ff]rom) (?:wire|news|agency) (?:service )?(?:reports?|services?)"
    rf"|(?:Material|Information|Reporting) (?:from|by) (?:{_WIRES})(?:,? (?:and|&) (?:{_WIRES}))*"
    r" (?:was|were) used in this (?:report|story|article)"
    rf"|(?:{_WIRES})(?:,? (?:and|&) (?:{_WIRES}))*"
    r" contributed to this (?:report|story|article)"
    rf"|(?:[\w.' -]{{1,80}} (?:of|from) (?:{_WIRES}) contributed to this (?:report|story|article))"
    r")[.!]?[ \t]*$"
)
"""A wire note: "This article includes wire service reports.", "Reuters contributed …"."""

# --------------------------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------------------------

SENTENCE_END_RE = re.compile(rf"{END_MARK}{CLOSING_MARK}?$")
PERIOD_END_RE = re.compile(rf"[.…]{CLOSING_MARK}?$")

# --------------------------------------------------------------------------------------------
# Site notices: paywall, subscription and donation appeals, newsletter/app/channel promos,
# login prompts, letters-to-the-editor calls, reprint and copyright notices, ad and affiliate
# labels, consent placeholders of embeds, reading-time and "last updated" lines
# --------------------------------------------------------------------------------------------

_SITE_NOTICES = (
    # paywall and subscription
    r"to (?:view|read|continue reading|access|unlock) (?:the full|this|the rest of (?:this|the)"
    r"|the full text of this) (?:story|article|post|content)\b",
    r"please subscribe\b",
    r"please (?:log ?in|sign ?in) to (?:continue|read|view|access|comment)\b",
    r"you(?: must|'ll need to| need to) subscribe\b",
    r"already (?:a )?(?:subscriber|member)\b",
    r"new subscribers (?:also )?(?:receive|get|enjoy)\b",
    r"first-time subscribers (?:also )?(?:receive|get|enjoy)\b",
    r"pour (?:lire la suite|accéder en illimité|continuer à lire)\b",
    r"déjà abonné",
    r"abonnez-vous\b",
    r"hazte (?:miembro|socio|suscriptor)\b",
    r"cancela cuando quieras\b",
    r"weiterlesen mit\b",
    r"jetzt (?:abonnieren|abo abschließen|registrieren)\b",
    r"za(?:praszamy|chęcamy) (?:też |również )?do (?:subskrypcji|prenumeraty)\b",
    # donation appeals
    r"unterstütze(?:n sie)? (?:uns|unsere arbeit|unseren journalismus)(?: mit| jetzt| durch"
    r"|\s*[!.])",
    r"unterstütze(?:n sie)? \w+ (?:bereits|schon|jetzt) mit\b",
    r"unterstütze auch du\b",
    r"unterstützen auch sie\b",
    r"wir sind spendenfinanziert",
    r"ihr beitrag hilft,? (?:uns|unsere)\b",
    r"wesprzyj nas\b",
    r"support (?:our|independent) journalism\b",
    # newsletters, e-mail boxes, apps, channels
    r"sign up (?:for|to) (?:our|the) (?:free |daily |weekly )?(?:\w+ ){0,2}newsletter",
    r"subscribe (?:for|to) (?:our|the) (?:free |daily |weekly )?(?:\w+ ){0,2}newsletter",
    r"register (?:for|to) (?:our|the) (?:free |daily |weekly )?(?:\w+ ){0,2}newsletter",
    r"mit unserem (?:\w+)?newsletter\b",
    r"in unserem (?:\w+)?newsletter\b",
    r"newsletter (?:an|bestellen|abonnieren)\b",
    r"unseren (?:\w+)?newsletter\b",
    r"abonnieren sie (?:kostenlos |jetzt |gratis )?(?:den|unseren|die|unsere)\b",
    r"suscr[ií]b(?:ete|irse|ase)(?: aquí)? a (?:nuestr[oa]s?|la|el) (?:newsletter|bolet[ií]n)",
    r"inscrivez-vous à (?:notre|la) (?:newsletter|lettre)",
    r"enter your e-?mail",
    r"e-mail-adresse ein(?:geben)?\b",
    r"direkt in (?:dein|ihr|euer) (?:e-mail-)?postfach",
    r"delivered (?:to|in|into) your inbox",
    r"direct (?:to|in|into) your inbox",
    r"straight (?:to|in|into) your inbox",
    r"right (?:to|in|into) your inbox",
    r"in your inbox every\b",
    r"get regular updates",
    r"bleib(?:en sie)? auf dem laufenden\b",
    r"restez informé",
    r"download (?:the|our) (?:[\w.]+ )?apps (?:for|on) ios and android",
    r"download our (?:free )?(?:[\w.]+ ){0,2}app\b",
    r"get our (?:free )?(?:[\w.]+ ){0,2}app\b",
    r"install our (?:free )?(?:[\w.]+ ){0,2}app\b",
    r"nuestr[oa] canal de (?:youtube|telegram|whatsapp)\b",
    r"el canal de (?:youtube|telegram|whatsapp)\b",
    r"tenemos canal de\b",
    r"unser(?:em|en)? (?:whatsapp|telegram)[- ]kanal\b",
    # login prompts and comment policies
    r"sie sind (?:\w+ )?nicht (?:eingeloggt|angemeldet)\b",
    r"du bist (?:\w+ )?nicht (?:eingeloggt|angemeldet)\b",
    r"you are not logged in\b",
    r"must be logged in to\b",
    r"musst (?:du )?eingeloggt sein\b",
    r"müssen (?:sie )?eingeloggt sein\b",
    r"akismet\b",
    r"netiquette\b",
    r"kommentarfunktion (?:ist|wird|wurde)\b.{0,80}\b(?:geschlossen|deaktiviert)",
    r"comments? (?:are|is|will be) moderated",
    r"kommentare (?:werden|sind) moderiert",
    r"we welcome reader comments",
    r"para comentar debes",
    r"przed dodaniem komentarza",
    # letters to the editor
    r"submit (?:a|your) letter\b",
    r"letters? to the editor via\b",
    # reprint, copyright and licence notices, blog post meta
    r"copyrighted property of\b",
    r"written permission must be obtained\b",
    r"may not be (?:re)?published, broadcast\b",
    r"chroniony prawem autorskim\b",
    r"zasady przedruków\b",
    r"tous droits réservés\b",
    r"alle rechte vorbehalten\b",
    r"unter einer creative commons",
    r"under (?:a|the) creative commons",
    r"creative commons[- ](?:lizenz|license|licence)",
    r"dieser eintrag wurde veröffentlicht",
    r"this entry was posted in",
    r"permanentlink\b",
    r"bookmark the permalink",
    r"verschlagwortet mit\b",
    r"abgelegt unter\b",
    # share prompts
    r"artikel (?:gefallen|teilen)\s*[?!]",
    r"beitrag (?:gefallen|teilen)\s*[?!]",
    r"vergiss nicht zu teilen",
    # ad, affiliate and advice disclaimers
    r"enthält (?:werbung|affiliate[- ]links?|anzeigen)\b",
    r"affiliate[- ]links?\b",
    r"we (?:may )?(?:earn|receive) (?:a )?(?:commission|compensation)\b",
    r"advertisers do not influence\b",
    r"associates? disclosure",
    r"amazon associate",
    r"does not (?:offer|provide|constitute) (?:medical|legal|financial|investment|tax) advice",
    r"not provided or commissioned by",
    r"n'engagent que (?:leurs?|son|ses)",
    r"views expressed (?:in|on) this (?:article|column|post|blog|site)\b",
    r"views expressed here\b",
    # cookie banners and consent placeholders of embedded content
    r"we use cookies\b", r"site uses cookies\b", r"wir verwenden cookies\b",
    r"wir nutzen cookies\b", r"seite verwendet cookies\b", r"seite nutzt cookies\b",
    r"site verwendet cookies\b", r"site nutzt cookies\b", r"nous utilisons des cookies\b",
    r"site utilise des cookies\b", r"usamos cookies\b", r"utilizamos cookies\b",
    r"korzystamy z (?:plików )?cookies\b",
    r"cookies? (?:zu )?(?:aktivieren|deaktivieren|akzeptieren|ablehnen)\b",
    r"diese[mnrs]? cookies\b", r"these cookies\b", r"arten von cookies\b", r"types of cookies\b",
    r"gespeicherten cookies\b",
    r"cookies?\b.{0,80}\b(?:zuzustimm|zustimm|einwillig|akzeptier|accept|consent|ablehn"
    r"|aktivier|deaktivier|einstellung|settings|preferences|erforderlich|necessary|essential"
    r"|notwendig)",
    r"um (?:den|diesen) inhalt von .{1,60} zu laden\b",
    r"to load (?:the )?content from\b",
    # forms: consent lines of sign-up and comment forms, captcha notices
    r"ich möchte (?:den|die|the) (?:\w+ ){0,2}newsletter",
    r"newsletter (?:bekommen|erhalten)\b",
    r"protected by recaptcha",
    r"mit (?:der )?absendung des formulars",
    r"mit dem absenden des formulars",
    r"willige ich ein\b",
    r"beachte auch die datenschutz",
    r"beachten sie (?:auch )?(?:die|unsere) datenschutz",
    # follow-us lines
    r"síguenos en\b", r"siguenos en\b", r"suivez-nous\b", r"folgen sie uns auf\b",
    r"folge uns auf\b",
    # reading time
    r"przeczytasz w\b",
    r"lesezeit\s*:",
    r"reading time\s*:",
    r"temps de lecture\s*:",
    r"tiempo de lectura\s*:",
)


def _by_first_letter(alternatives: tuple[str, ...]) -> str:
    """One alternation of ``alternatives`` (each starting with a literal letter), grouped by that
    letter: the regex engine then tries a handful of groups at each word start, not every
    alternative."""
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if not alt[0].isalpha() or alt[1] in "?*+{":
            raise ValueError(f"an alternative must start with a plain letter: {alt!r}")
        groups.setdefault(alt[0], []).append(alt[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


SITE_NOTICE_RE = re.compile(rf"\b(?:{_by_first_letter(_SITE_NOTICES)})")
"""A notice of the site about itself rather than a line of the story (searched anywhere in the
*lower-cased* text of a paragraph of at most SITE_NOTICE_MAX_WORDS words; the patterns are
lower case and compiled without re.I, which makes the search faster)."""

SITE_NOTICE_MAX_WORDS = 45

COOKIE_NOTICE_MAX_WORDS = 90
"""A paragraph naming cookies meets SITE_NOTICE_RE up to this length (consent dialogs explain
themselves at length)."""

AD_LABEL_RE = re.compile(
    r"^\*?(?:anzeige|werbung|advertorial|publireportage|sponsored|gesponsert)\b\s*[-–—:,.|*]", re.I
)
"""A paragraph opened by an ad label ("Anzeige - …", "*Werbung. …")."""

STAMP_LINE_RE = re.compile(
    r"^(?:(?:zuletzt |last )?(?:aktualisiert|updated|modified|geändert)(?: am| on)?"
    r"|letzte (?:änderung|aktualisierung)(?: am)?|stand(?: vom)?|last modified"
    r"|(?:video |audio )?(?:verfügbar|available|abrufbar) (?:bis|until)"
    r"|(?:news date|release date|kategorie|category)\b[^.!?]{0,40})\s*:?\s*"
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\.? \w+ \d{4}|\w+ \d{1,2},? \d{4})?"
    r"[\d:.,apm \-/]*$",
    re.I,
)
""""Aktualisiert am 17.01.2021.", "Letzte Änderung 14.02.2019", "Video verfügbar bis …"."""
