//! Showing secrets (tokens, secret values) without giving them away.

/// A secret as shown before the user reveals it: eight dots and, when the secret is long enough
/// that they give nothing away, its last four characters (`••••••••ab12`).
pub fn mask_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "•".repeat(8);
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{}{tail}", "•".repeat(8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_tail_of_long_secrets() {
        assert_eq!(mask_secret("short"), "••••••••");
        assert_eq!(mask_secret("abcdefghijkl1234"), "••••••••1234");
        assert_eq!(mask_secret("ééééééééééé1"), "••••••••ééé1");
    }
}
