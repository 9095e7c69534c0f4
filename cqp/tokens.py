from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AccountTokenGenerator(PasswordResetTokenGenerator):
    """Token for e-mail confirmation and invitations: dies once used.

    The hash covers the password and the confirmation date, so setting a
    password or confirming the address invalidates the link.
    """

    key_salt = "cqp.tokens.AccountTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}{user.email_confirmed_at}"


account_token = AccountTokenGenerator()
