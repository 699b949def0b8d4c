"""Staff forms. Templates render them with GOV.UK Design System markup (staff/includes/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

# One message for an unknown user, a wrong password and a deactivated account, so the page
# never tells anyone which usernames exist.
SIGN_IN_FAILED = "Enter a correct username and password. Both are case-sensitive."


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-input govuk-!-width-one-half", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half"})


class StaffPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        self.fields["email"].widget.attrs.update({"class": "govuk-input govuk-!-width-two-thirds"})


class StaffSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update({"class": "govuk-input govuk-!-width-one-half"})
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Confirm new password"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=10,
        error_messages={"required": "Enter the 6-digit security code"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
        return token


# --- the publication workflow -------------------------------------------------------------

_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": "5"}


class ApproveForm(forms.Form):
    embargo = forms.CharField(
        label="Publish at (optional)",
        help_text="Leave empty to publish now, or give a UK date and time, like 2026-12-01 09:30",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_TEXT),
    )

    def clean_embargo(self) -> Any:
        from .embargo import parse_embargo

        text = self.cleaned_data["embargo"].strip().replace(" ", "T", 1)
        if not text:
            return None
        try:
            return parse_embargo(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc).replace("T", " ", 1)) from exc


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being sent back?",
        help_text="Its author sees this",
        max_length=2000,
        error_messages={"required": "Enter why it is being sent back"},
        widget=forms.Textarea(attrs=_AREA),
    )


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label="Note for the approver (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=_AREA),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="Correction note",
        help_text="Shown to the public beside the metric: say what was wrong",
        max_length=2000,
        error_messages={"required": "Enter the correction note"},
        widget=forms.Textarea(attrs=_AREA),
    )


class CommentaryForm(forms.Form):
    period_end = forms.CharField(
        label="Period it comments on, ending",
        help_text="The last month of the period, like 2026-03",
        max_length=7,
        error_messages={"required": "Enter the last month of the period, like 2026-03"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    meaning = forms.CharField(
        label="What the figures mean",
        max_length=5000,
        error_messages={"required": "Enter what the figures mean"},
        widget=forms.Textarea(attrs=_AREA),
    )
    action = forms.CharField(
        label="What is being done (optional)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )

    def clean_period_end(self) -> Any:
        from policeplan.analysis.periods import Month

        try:
            return Month.parse(self.cleaned_data["period_end"])
        except ValueError as exc:
            raise forms.ValidationError(
                "Enter the last month of the period as YYYY-MM, like 2026-03"
            ) from exc


class TargetForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of target",
        choices=[("value", "A value"), ("direction", "A direction")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a value or a direction"},
    )
    value = forms.FloatField(label="Target value", required=False)
    direction = forms.ChoiceField(
        label="Direction",
        choices=[
            ("", "Not a direction"),
            ("increase", "Increase"),
            ("decrease", "Reduce"),
            ("maintain", "Maintain"),
        ],  # fmt: skip
        required=False,
    )
    baseline = forms.FloatField(
        label="Baseline figure (optional)",
        help_text="The figure a direction is measured from; SPC assurance uses it",
        required=False,
    )
    baseline_label = forms.CharField(
        label="Baseline period (optional)", help_text="For example 2023/24", required=False,
        max_length=100,
    )  # fmt: skip
    starts_on = forms.DateField(
        label="Starts on",
        help_text="Like 2026-04-01",
        error_messages={"required": "Enter the date the target starts, like 2026-04-01",
                        "invalid": "Enter the date as YYYY-MM-DD, like 2026-04-01"},
    )  # fmt: skip
    ends_on = forms.DateField(
        label="Ends on (optional)",
        help_text="Like 2029-03-31",
        required=False,
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, like 2029-03-31"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)
