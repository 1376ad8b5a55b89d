//! Counts with their nouns in agreement: `1 brief`, `2 briefs`.

/// `n` and the noun for it: `one` when `n` is 1, else `many`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "brief", "briefs"), "1 brief");
        assert_eq!(count(0, "brief", "briefs"), "0 briefs");
        assert_eq!(
            count(2, "body paragraph", "body paragraphs"),
            "2 body paragraphs"
        );
    }
}
