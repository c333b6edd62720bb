//! The benchmark's input: an account's orders (customers, dates, statuses, line items with
//! categories, prices and quantities), the shape of a typical Step Functions payload.
//! Deterministic: the same `orders` always gives the same document.

use serde_json::{json, Value};

const NAMES: [&str; 12] = [
    "Ada Lovelace",
    "Alan Turing",
    "Grace Hopper",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Donald Knuth",
    "Frances Allen",
    "John McCarthy",
    "Margaret Hamilton",
    "Ken Thompson",
    "Radia Perlman",
    "Tony Hoare",
];
const COUNTRIES: [&str; 6] = ["DE", "FR", "GB", "US", "JP", "BR"];
const STATUSES: [&str; 4] = ["shipped", "pending", "cancelled", "delivered"];
const CATEGORIES: [&str; 5] = ["tools", "garden", "kitchen", "books", "toys"];

/// A small linear congruential generator (no dependency, same sequence everywhere).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// `orders` orders of 1 to 5 line items each.
pub fn orders(orders: usize) -> Value {
    let mut rng = Lcg(42);
    let list: Vec<Value> = (0..orders)
        .map(|i| {
            let customer = rng.below(NAMES.len() as u64 * 4) as usize;
            let items: Vec<Value> = (0..1 + rng.below(5))
                .map(|_| {
                    let sku = rng.below(400);
                    json!({
                        "sku": format!("SKU-{sku:04}"),
                        "name": format!("Article {sku}"),
                        "category": CATEGORIES[(sku % CATEGORIES.len() as u64) as usize],
                        "price": (rng.below(20_000) as f64) / 100.0 + 0.99,
                        "quantity": 1 + rng.below(9),
                    })
                })
                .collect();
            json!({
                "id": format!("o-{i:05}"),
                "date": format!(
                    "2024-{:02}-{:02}T{:02}:{:02}:00Z",
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(24),
                    rng.below(60)
                ),
                "status": STATUSES[rng.below(STATUSES.len() as u64) as usize],
                "customer": {
                    "id": format!("c-{customer:03}"),
                    "name": NAMES[customer % NAMES.len()],
                    "country": COUNTRIES[customer % COUNTRIES.len()],
                    "vip": customer.is_multiple_of(7),
                },
                "items": items,
            })
        })
        .collect();
    json!({"account": {"id": "acct-1", "name": "ACME Corp", "currency": "EUR"}, "orders": list})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_count_gives_the_same_document() {
        let a = orders(50);
        assert_eq!(a, orders(50));
        assert_eq!(a["orders"].as_array().unwrap().len(), 50);
        let items = a["orders"][0]["items"].as_array().unwrap();
        assert!((1..=5).contains(&items.len()));
        assert!(items[0]["price"].as_f64().unwrap() >= 0.99);
    }
}
