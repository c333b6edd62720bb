//! `nextToken`s: opaque to clients, an offset into a listing underneath, bound to the
//! listing it came from so that a token of one listing is refused by another.

use crate::error::SfnError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// One page of `items` from the token's offset, and the token of the next page if any.
pub fn page<'a, T>(
    items: &'a [T],
    listing: &str,
    token: Option<&str>,
    max: usize,
) -> Result<(&'a [T], Option<String>), SfnError> {
    let start = match token {
        None => 0,
        Some(token) => decode(token, listing)?,
    };
    let start = start.min(items.len());
    let end = start.saturating_add(max).min(items.len());
    let next = (end < items.len()).then(|| encode(end, listing));
    Ok((&items[start..end], next))
}

fn encode(offset: usize, listing: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("statebox:{listing}:{offset}"))
}

fn decode(token: &str, listing: &str) -> Result<usize, SfnError> {
    let invalid = || SfnError::InvalidToken {
        reason: "Invalid token".into(),
    };
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let rest = text
        .strip_prefix("statebox:")
        .and_then(|r| r.strip_prefix(listing))
        .and_then(|r| r.strip_prefix(':'))
        .ok_or_else(invalid)?;
    rest.parse().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_and_refuses_foreign_tokens() {
        let items: Vec<u32> = (0..5).collect();
        let (first, next) = page(&items, "a", None, 2).unwrap();
        assert_eq!(first, &[0, 1]);
        let (second, next) = page(&items, "a", next.as_deref(), 2).unwrap();
        assert_eq!(second, &[2, 3]);
        let (third, next) = page(&items, "a", next.as_deref(), 2).unwrap();
        assert_eq!((third, next), (&[4][..], None));
        let token = page(&items, "a", None, 1).unwrap().1.unwrap();
        assert_eq!(
            page(&items, "b", Some(&token), 1).unwrap_err().type_name(),
            "InvalidToken"
        );
        assert_eq!(
            page(&items, "a", Some("??"), 1).unwrap_err().type_name(),
            "InvalidToken"
        );
    }
}
