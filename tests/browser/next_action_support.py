"""« Prochaine action » in the browser journeys: the block names the action, its date and the page it leads to."""

import re

from playwright.sync_api import expect

from cqp.templatetags.french import date_fr


def expect_next_action(page, label, *, due=None, due_label="", href=""):
    """The « Prochaine action » block of the page holds ``label``, with « ``due_label`` ``due`` » and a link ending in
    ``href`` (a path, or a part of it)."""
    item = page.locator("section[aria-labelledby=prochaine-action] li").filter(has_text=label)
    expect(item).to_have_count(1)
    if due is not None:
        expect(item).to_contain_text(f"{due_label} {date_fr(due)}")
    if href:
        expect(item.get_by_role("link")).to_have_attribute("href", re.compile(re.escape(href)))


def expect_current_step(page, label):
    expect(page.locator('.step-tracker [aria-current="step"]').first).to_contain_text(label)
