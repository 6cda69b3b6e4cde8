//! Pagination and sorting for lists.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

impl SortOrder {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        }
    }
}

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u64,
}

impl PageRequest {
    pub const MAX_LIMIT: u64 = 500;

    /// A page of at most [`Self::MAX_LIMIT`] rows.
    pub fn new(offset: u64, limit: u64) -> PageRequest {
        PageRequest {
            offset,
            limit: limit.clamp(1, Self::MAX_LIMIT),
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::new(0, 50)
    }
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

impl<T> Page<T> {
    /// The page `request` asked for, holding `items` of `total` rows (a SQL count).
    pub(crate) fn new(items: Vec<T>, total: i64, request: PageRequest) -> Page<T> {
        Page {
            items,
            total: total.max(0) as u64,
            offset: request.offset,
            limit: request.limit,
        }
    }
}
