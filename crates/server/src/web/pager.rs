//! The pager of a paged list: links to the pages either side, keeping the page's other
//! query parameters, and "page N of M" in the page's language (`templates/web/pager.html`).

use super::Page;

/// Where a paged list stands: the links to the pages either side (keeping the page's
/// other query parameters) and "page N of M" in the page's language.
pub struct Pager {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub position: String,
    /// More than one page: the pager is shown.
    pub shown: bool,
}

impl Pager {
    /// Page `number` of `total` rows at `per_page` a page; links go to `path` with
    /// `params` (empty values left out) and `page=`.
    pub fn new(
        page: &Page,
        path: &str,
        params: &[(&str, &str)],
        number: u64,
        total: u64,
        per_page: u64,
    ) -> Pager {
        let pages = total.div_ceil(per_page.max(1)).max(1);
        let link = |n: u64| {
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
                ser.append_pair(k, v);
            }
            ser.append_pair("page", &n.to_string());
            format!("{path}?{}", ser.finish())
        };
        Pager {
            previous: (number > 1).then(|| link(number.min(pages + 1) - 1)),
            next: (number < pages).then(|| link(number + 1)),
            position: page.tf(
                "common.pager.position",
                &[("page", &number.to_string()), ("pages", &pages.to_string())],
            ),
            shown: pages > 1 || number > 1,
        }
    }
}
