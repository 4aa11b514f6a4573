//! Tags as a person types them.

/// Comma-separated tags, trimmed, empty ones dropped, each kept once in the order typed.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_deduplicated_and_kept_in_order() {
        assert_eq!(
            parse_tags(" llm, eval ,, llm,prod "),
            ["llm", "eval", "prod"]
        );
        assert!(parse_tags(" , ").is_empty());
    }
}
