"""Differential check: compute_rd_credit vs a separate, literal transcription of spec sections 1-5.

The reference works in percentage points (the spec's own notation) with its own code path, so a slip in either
shows up as a yen difference on seeded random companies.
"""

import random
from fractions import Fraction as F

import pytest

from tools.rd_credit import RdCreditInput, compute_rd_credit


def reference_credit(rd, prior, sales, tax, company, venture, founding, oi):
    """Spec pseudo-code, in percentage points."""
    comparative = F(sum(prior), len(prior)) if prior and not founding else F(0)
    zero = founding or comparative == 0
    x = None if zero else (F(rd) - comparative) / comparative * 100  # percent
    s = F(rd) / F(sum(sales), len(sales)) * 100
    u, st_, o = oi
    base_rd = rd - (u + st_ + o)
    if company == "large":
        if zero:
            rate = F(85, 10)
        elif x > 12:
            rate = F(115, 10) + (x - 12) * F(375, 1000)
        else:
            rate = max(F(115, 10) - (12 - x) * F(25, 100), F(1))
        ceiling = F(14)
    else:
        rate = F(12) + (x - 12) * F(375, 1000) if (not zero and x > 12) else F(12)
        ceiling = F(17)
    if s > 10:
        rate = rate + rate * min((s - 10) * F(1, 2), F(10)) / 100
    # truncate 3 decimals of the fraction = 1 decimal of the percentage
    rate = F(int(rate * 10), 10)
    rate = min(rate, ceiling)
    limit = int(base_rd * rate / 100)
    if company == "large":
        cap = F(25)
        var_add = min((x - 4) * F(625, 1000), F(5)) if (x is not None and x > 4) else F(0)
        var_sub = min((-4 - x) * F(625, 1000), F(5)) if (x is not None and x < -4) else F(0)
        if s > 10:
            cap += max(var_add, min((s - 10) * 2, F(10)))
        else:
            cap += var_add - var_sub
        if venture:
            cap += 15
    else:
        cap = F(25)
        if x is not None and x > 12:
            cap += 10
        elif s > 10:
            cap += min((s - 10) * 2, F(10))
    general = min(limit, int(tax * cap / 100))
    oi_credit = min(int((u * 30 + st_ * 25 + o * 20) / F(100)), int(tax * F(10, 100)))
    return general + oi_credit


def random_company(rng: random.Random):
    scale = rng.choice([10**6, 10**7, 10**8, 10**9, 10**10])
    prior = [
        rng.randint(0, 20) * scale // 10 + rng.randint(0, 999_999) for _ in range(rng.choice([1, 2, 3, 3, 3]))
    ]
    base = max(sum(prior) // len(prior), 1)
    rd = max(0, int(base * rng.uniform(0.4, 1.5)) + rng.randint(-999, 999))
    intensity = rng.choice([0.01, 0.05, 0.09, 0.10, 0.12, 0.15, 0.2, 0.4])
    sales_now = max(1, int(rd / intensity)) if rd else scale
    sales = [sales_now] + [int(sales_now * rng.uniform(0.7, 1.3)) for _ in range(rng.choice([0, 1, 2, 3, 3]))]
    tax = int(rd * rng.choice([0.05, 0.2, 0.5, 1, 3]))
    company = rng.choice(["large", "large", "sme"])
    venture = company == "large" and rng.random() < 0.2
    founding = rng.random() < 0.05
    oi = (0, 0, 0)
    if rng.random() < 0.3 and rd:
        share = rd // 10
        oi = (rng.randint(0, share), rng.randint(0, share), rng.randint(0, share))
    return rd, [] if founding else prior, sales, tax, company, venture, founding, oi


@pytest.mark.parametrize("seed", range(8))
def test_random_companies_match_reference_to_the_yen(seed):
    rng = random.Random(seed)
    for _ in range(100):
        rd, prior, sales, tax, company, venture, founding, oi = random_company(rng)
        inp = RdCreditInput(
            rd=rd,
            prior_rd=prior,
            sales=sales,
            tax=tax,
            company=company,
            venture=venture,
            founding_year=founding,
            oi={"university": oi[0], "startup": oi[1], "other": oi[2]} if any(oi) else None,
        )
        expected = reference_credit(rd, prior, sales, tax, company, venture, founding, oi)
        assert compute_rd_credit(inp).total_credit == expected, (rd, prior, sales, tax, company, venture, oi)
