//! Totals of a document with line items (invoice, credit note, estimate,
//! proposal), following EN 16931: each line's net is rounded to the minor
//! unit; VAT is computed per rate on the sum of the nets at that rate, not
//! per line; a document discount before tax lowers the taxable bases (split
//! across the rates in proportion to their nets, the rounding remainder on
//! the largest base) and a discount after tax lowers the gross total.
//! Everything is `Decimal`; nothing here knows floats.

use std::collections::BTreeMap;

use kernel::money::round;
use rust_decimal::Decimal;

/// One line: quantity times rate, taxed at up to two rates (percent).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub quantity: Decimal,
    pub rate: Decimal,
    pub taxes: Vec<Decimal>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Discount {
    None,
    Percent(Decimal),
    Amount(Decimal),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscountTiming {
    BeforeTax,
    AfterTax,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub lines: Vec<Line>,
    pub discount: Discount,
    pub timing: DiscountTiming,
    /// A signed correction added last (rounding agreed with the customer).
    pub adjustment: Decimal,
    /// Decimals of the currency's minor unit.
    pub digits: u32,
}

/// The VAT of one rate: the taxable base and the tax on it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaxAmount {
    pub rate: Decimal,
    pub base: Decimal,
    pub amount: Decimal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Each line's rounded net, in order.
    pub line_nets: Vec<Decimal>,
    pub subtotal: Decimal,
    /// The discount as an amount (percent already applied).
    pub discount: Decimal,
    pub taxes: Vec<TaxAmount>,
    pub tax_total: Decimal,
    pub adjustment: Decimal,
    pub total: Decimal,
}

impl Document {
    pub fn totals(&self) -> Totals {
        let digits = self.digits;
        let line_nets: Vec<Decimal> = self
            .lines
            .iter()
            .map(|l| round(l.quantity * l.rate, digits))
            .collect();
        let subtotal: Decimal = line_nets.iter().sum();
        let mut bases: BTreeMap<Decimal, Decimal> = BTreeMap::new();
        for (line, net) in self.lines.iter().zip(&line_nets) {
            for rate in &line.taxes {
                *bases.entry(rate.normalize()).or_default() += net;
            }
        }
        let gross_before_discount = |bases: &BTreeMap<Decimal, Decimal>| -> Decimal {
            bases
                .iter()
                .map(|(rate, base)| round(base * rate / Decimal::ONE_HUNDRED, digits))
                .sum::<Decimal>()
                + subtotal
        };
        let discount = match self.discount {
            Discount::None => Decimal::ZERO,
            Discount::Amount(a) => round(a, digits),
            Discount::Percent(p) => {
                let of = match self.timing {
                    DiscountTiming::BeforeTax => subtotal,
                    DiscountTiming::AfterTax => gross_before_discount(&bases),
                };
                round(of * p / Decimal::ONE_HUNDRED, digits)
            }
        };
        if self.timing == DiscountTiming::BeforeTax && !subtotal.is_zero() {
            allocate_discount(&mut bases, subtotal, discount, digits);
        }
        let taxes: Vec<TaxAmount> = bases
            .into_iter()
            .map(|(rate, base)| TaxAmount {
                rate,
                amount: round(base * rate / Decimal::ONE_HUNDRED, digits),
                base,
            })
            .collect();
        let tax_total: Decimal = taxes.iter().map(|t| t.amount).sum();
        let adjustment = round(self.adjustment, digits);
        Totals {
            total: subtotal - discount + tax_total + adjustment,
            line_nets,
            subtotal,
            discount,
            taxes,
            tax_total,
            adjustment,
        }
    }
}

/// Lowers each rate's base by its share of a discount before tax; the
/// shares add up to the discount exactly.
fn allocate_discount(
    bases: &mut BTreeMap<Decimal, Decimal>,
    subtotal: Decimal,
    discount: Decimal,
    digits: u32,
) {
    let Some(largest) = bases
        .iter()
        .max_by(|a, b| a.1.abs().cmp(&b.1.abs()).then(b.0.cmp(a.0)))
        .map(|(rate, _)| *rate)
    else {
        return;
    };
    let total_taxed: Decimal = bases.values().sum();
    // The part of the discount that falls on taxed lines; lines without tax
    // carry the rest.
    let on_taxed = round(discount * total_taxed / subtotal, digits);
    let mut given = Decimal::ZERO;
    let shares: Vec<(Decimal, Decimal)> = bases
        .iter()
        .filter(|(rate, _)| **rate != largest)
        .map(|(rate, base)| {
            let share = if total_taxed.is_zero() {
                Decimal::ZERO
            } else {
                round(on_taxed * base / total_taxed, digits)
            };
            given += share;
            (*rate, share)
        })
        .collect();
    for (rate, share) in shares {
        if let Some(base) = bases.get_mut(&rate) {
            *base -= share;
        }
    }
    if let Some(base) = bases.get_mut(&largest) {
        *base -= on_taxed - given;
    }
}

/// Reads a tax rate in percent (`19`, `7`, `5,5`) into basis points.
pub fn parse_rate(text: &str) -> Option<i32> {
    let value = kernel::money::parse_decimal(text)?;
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED || value.scale() > 2 {
        return None;
    }
    kernel::money::to_minor(value, 2).and_then(|bp| i32::try_from(bp).ok())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn rates_are_percent_with_at_most_two_decimals() {
        assert_eq!(parse_rate("19"), Some(1900));
        assert_eq!(parse_rate("5,5"), Some(550));
        assert_eq!(parse_rate("0"), Some(0));
        assert_eq!(parse_rate("100.01"), None);
        assert_eq!(parse_rate("-1"), None);
        assert_eq!(parse_rate("7.125"), None);
        assert_eq!(parse_rate("x"), None);
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn line(q: &str, r: &str, taxes: &[&str]) -> Line {
        Line {
            quantity: d(q),
            rate: d(r),
            taxes: taxes.iter().map(|t| d(t)).collect(),
        }
    }

    fn doc(lines: Vec<Line>, discount: Discount, timing: DiscountTiming) -> Document {
        Document {
            lines,
            discount,
            timing,
            adjustment: Decimal::ZERO,
            digits: 2,
        }
    }

    #[test]
    fn vat_is_computed_per_rate_on_the_sum_of_nets() {
        // Three lines of 0.333 € at 19 %: per line 0.06 each (0.18), on the sum 0.19.
        let t = doc(
            vec![
                line("1", "0.333", &["19"]),
                line("1", "0.333", &["19"]),
                line("1", "0.333", &["19"]),
            ],
            Discount::None,
            DiscountTiming::BeforeTax,
        )
        .totals();
        assert_eq!(t.line_nets, vec![d("0.33"), d("0.33"), d("0.33")]);
        assert_eq!(t.subtotal, d("0.99"));
        assert_eq!(t.tax_total, d("0.19"));
        assert_eq!(t.total, d("1.18"));
    }

    #[test]
    fn a_german_invoice_with_both_rates_and_a_discount() {
        let t = doc(
            vec![
                line("2", "100", &["19"]),
                line("3.5", "12.80", &["7"]),
                line("1", "50", &[]),
            ],
            Discount::Percent(d("10")),
            DiscountTiming::BeforeTax,
        )
        .totals();
        assert_eq!(t.subtotal, d("294.80"));
        assert_eq!(t.discount, d("29.48"));
        let bases: Vec<(Decimal, Decimal, Decimal)> =
            t.taxes.iter().map(|x| (x.rate, x.base, x.amount)).collect();
        assert_eq!(
            bases,
            vec![
                (d("7"), d("40.32"), d("2.82")),
                (d("19"), d("180.00"), d("34.20"))
            ]
        );
        assert_eq!(t.total, d("294.80") - d("29.48") + d("37.02"));
    }

    #[test]
    fn a_discount_after_tax_leaves_the_bases() {
        let t = doc(
            vec![line("1", "100", &["19"])],
            Discount::Percent(d("10")),
            DiscountTiming::AfterTax,
        )
        .totals();
        assert_eq!(t.taxes[0].base, d("100"));
        assert_eq!(t.tax_total, d("19.00"));
        assert_eq!(t.discount, d("11.90"));
        assert_eq!(t.total, d("107.10"));
    }

    fn arb_line() -> impl Strategy<Value = Line> {
        (
            1i64..100_000,
            -1_000_000i64..10_000_000,
            prop::sample::subsequence(vec![0i64, 700, 1900, 1600], 0..=2),
        )
            .prop_map(|(q, r, taxes)| Line {
                quantity: Decimal::new(q, 3),
                rate: Decimal::new(r, 2),
                taxes: taxes.into_iter().map(|t| Decimal::new(t, 2)).collect(),
            })
    }

    fn arb_doc() -> impl Strategy<Value = Document> {
        (
            prop::collection::vec(arb_line(), 1..12),
            prop_oneof![
                Just(Discount::None),
                (0i64..10_000).prop_map(|p| Discount::Percent(Decimal::new(p, 2))),
                (0i64..100_000).prop_map(|a| Discount::Amount(Decimal::new(a, 2))),
            ],
            prop_oneof![
                Just(DiscountTiming::BeforeTax),
                Just(DiscountTiming::AfterTax)
            ],
            -500i64..500,
        )
            .prop_map(|(lines, discount, timing, adj)| Document {
                lines,
                discount,
                timing,
                adjustment: Decimal::new(adj, 2),
                digits: 2,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every figure is whole cents and the parts add up exactly.
        #[test]
        fn totals_never_drift_by_a_cent(doc in arb_doc()) {
            let t = doc.totals();
            let cents = |v: Decimal| round(v, 2) == v;
            prop_assert!(t.line_nets.iter().all(|n| cents(*n)));
            prop_assert_eq!(t.subtotal, t.line_nets.iter().sum::<Decimal>());
            prop_assert!(cents(t.discount) && cents(t.tax_total) && cents(t.total));
            prop_assert_eq!(t.tax_total, t.taxes.iter().map(|x| x.amount).sum::<Decimal>());
            prop_assert_eq!(t.total, t.subtotal - t.discount + t.tax_total + t.adjustment);
            for x in &t.taxes {
                prop_assert!(cents(x.base));
                prop_assert_eq!(x.amount, round(x.base * x.rate / Decimal::ONE_HUNDRED, 2));
            }
            if doc.timing == DiscountTiming::BeforeTax && !t.subtotal.is_zero() {
                // The bases lose exactly the taxed lines' share of the discount.
                let taxed: BTreeMap<Decimal, Decimal> = doc.lines.iter().zip(&t.line_nets)
                    .flat_map(|(l, n)| l.taxes.iter().map(move |r| (r.normalize(), *n)))
                    .fold(BTreeMap::new(), |mut m, (r, n)| { *m.entry(r).or_default() += n; m });
                let before: Decimal = taxed.values().sum();
                let after: Decimal = t.taxes.iter().map(|x| x.base).sum();
                prop_assert_eq!(before - after, round(t.discount * before / t.subtotal, 2));
            }
        }
    }
}
