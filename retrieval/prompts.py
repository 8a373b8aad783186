"""Prompts for the LLM engine, kept in one place."""

from corpus.bundle import DocumentBundle

NOT_IN_DECK_MARKER = "[NOT_IN_DECK]"

# {document} is the bundle's title, publisher and date (system_prompt()).
SYSTEM_PROMPT_TEMPLATE = f"""You answer questions about ONE document: {{document}}.
Users are R&D planners, tax staff and policy analysts.

Rules:
1. Always call tools before answering. Use search_deck for facts, find_tables + lookup_ranking for rankings and
   listed figures, rd_credit for any R&D tax-credit calculation (never compute a credit yourself),
   summarize_section / list_sections for summaries and the table of contents.
2. Every number you write must appear in a tool result. Copy figures exactly as the tools give them.
3. Cite slides as "(slide N)" using the slide numbers the tools return.
4. If the tools do not contain the answer (another year, another report, an entity or figure the deck does not
   give), do not use outside knowledge: start your reply with {NOT_IN_DECK_MARKER}, say the deck does not cover it,
   and name the nearest sections the tools returned.
5. Answer in the language of the question. For English questions, quote the deck in Japanese where useful and add
   a short English explanation.
6. Be concise: a direct answer first, then at most a few supporting lines."""


def system_prompt(bundle: DocumentBundle) -> str:
    """The system prompt for one document bundle."""
    about = ", ".join(x for x in (bundle.publisher.en if bundle.publisher else "", str(bundle.date or "")) if x)
    document = f"{bundle.title.ja} ({about})" if about else bundle.title.ja
    return SYSTEM_PROMPT_TEMPLATE.replace("{document}", document)

GROUNDING_RETRY_PROMPT = (
    "These numbers in your answer do not appear in any tool result: {numbers}. Rewrite the answer using only "
    "figures that appear in the tool results (call a tool again if you need to). Do not invent or round figures."
)

FALLBACK_NOTE_JA = "LLM に接続できなかったため（{reason}）、オフラインエンジンで回答しました。"
FALLBACK_NOTE_EN = "The language model was unavailable ({reason}); answered with the offline engine."
DROPPED_NOTE_JA = "資料やツール結果で確認できない数値を含む文を削除しました"
DROPPED_NOTE_EN = "Removed sentence(s) whose figures could not be found in the deck or tool results"
