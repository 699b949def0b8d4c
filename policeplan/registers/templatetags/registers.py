from decimal import Decimal

from django import template

from policeplan.registers.pages import money as money_text

register = template.Library()


@register.filter
def money(amount: Decimal | float | None) -> str:
    """£12,500 or £12,500.50."""
    return money_text(amount)
