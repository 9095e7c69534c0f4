"""No personal data in the logs: a filter, set on the root handlers (settings.LOGGING), that masks e-mail addresses
and phone numbers in the message, its arguments and the formatted traceback of each record.

Names cannot be recognised in free text: the code never logs a person's name or e-mail, only ids and dossier
numbers (tests/security/test_logs.py). This filter is the safety net for what third-party code logs (login
throttling logs the typed username, SMTP errors carry the recipients, Celery passes task arguments to the record).
"""

import logging
import re

EMAIL_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
# French numbers (06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78) and other international ones.
PHONE_RE = re.compile(r"(?<![\w-])(?:(?:\+|00)\d{2}[\s.-]?\(?0?\)?[\s.-]?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?![\w-])")
EMAIL_MASK = "[e-mail masqué]"
PHONE_MASK = "[téléphone masqué]"


def mask_personal_data(text: str) -> str:
    if not text:
        return text
    return PHONE_RE.sub(PHONE_MASK, EMAIL_RE.sub(EMAIL_MASK, text))


class PersonalDataFilter(logging.Filter):
    """Rewrites the record in place (message already merged with its arguments) and never drops it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw parts, masked
            message = f"{record.msg} {record.args!r}"
        masked = mask_personal_data(message)
        if masked != record.msg or record.args:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        # Extra attributes some libraries attach (Celery: "data" with the task's args and kwargs).
        for name in ("data", "request_repr"):
            if isinstance(getattr(record, name, None), (str, dict, list, tuple)):
                setattr(record, name, mask_personal_data(str(getattr(record, name))))
        return True
