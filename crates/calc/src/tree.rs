//! The contribution tree: where a footprint comes from, path by path, for hotspots.
//!
//! A node stands for an amount x of some column's product; its value is x·u (u the
//! column's unit score, its whole upstream). Its children are its direct emissions and
//! each of its inputs, valued the same way, and they add up to the parent exactly:
//! x·u_j = t·d_j + Σ_k t·(−A_kj)·u_k with t = x / A_jj (from Aᵀu = Bᵀc). Children
//! below the cut-off are summed into one "below cut-off" node, so sums stay true even
//! where the tree is pruned; loops end at the depth limit or when paths fall below the
//! cut-off.

use crate::footprint::Solved;
use crate::system::ProductSystem;
use serde::{Deserialize, Serialize};
use zuji_model::lci::LciDatabase;
use zuji_model::product::ProductModel;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContributionNode {
    /// `process`, `dataset`, `supplier`, `direct` or `rest`.
    pub kind: String,
    pub id: String,
    pub name: String,
    pub amount: f64,
    pub unit: String,
    /// kg CO2e.
    pub value: f64,
    /// Share of the product's total.
    pub share: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ContributionNode>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn contribution_tree(
    system: &ProductSystem,
    model: &ProductModel,
    dbs: &[LciDatabase],
    solved: &Solved,
    unit_scores: &[f64],
    c: &[f64],
    total: f64,
    cutoff: f64,
    max_depth: usize,
) -> ContributionNode {
    let n = system.dim();
    let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (r, col, v) in solved.a.entries() {
        if r != col && v != 0.0 {
            columns[col].push((r, v));
        }
    }
    let direct = solved.b.transpose_mul_vec(c);
    let ctx = Ctx {
        system,
        model,
        dbs,
        solved,
        unit_scores,
        direct: &direct,
        columns: &columns,
        total,
        cutoff,
        max_depth,
    };
    let root = system.reference_column;
    ctx.node(root, solved.demand[root], 0)
}

struct Ctx<'a> {
    system: &'a ProductSystem,
    model: &'a ProductModel,
    dbs: &'a [LciDatabase],
    solved: &'a Solved,
    unit_scores: &'a [f64],
    direct: &'a [f64],
    columns: &'a [Vec<(usize, f64)>],
    total: f64,
    cutoff: f64,
    max_depth: usize,
}

impl Ctx<'_> {
    fn share(&self, v: f64) -> f64 {
        if self.total != 0.0 {
            v / self.total
        } else {
            0.0
        }
    }

    fn node(&self, col: usize, amount: f64, depth: usize) -> ContributionNode {
        let label = self.system.column_label(col, self.model, self.dbs);
        let value = amount * self.unit_scores[col];
        let mut node = ContributionNode {
            kind: label.kind.into(),
            id: label.id,
            name: label.name,
            amount,
            unit: label.unit,
            value,
            share: self.share(value),
            children: Vec::new(),
        };
        let threshold = self.cutoff * self.total.abs();
        if depth >= self.max_depth || value.abs() < threshold {
            return node;
        }
        let t = amount / self.solved.a.get(col, col);
        let mut parts: Vec<(Option<usize>, f64, f64)> = Vec::new(); // (input column, amount, value)
        if self.direct[col] != 0.0 {
            parts.push((None, 0.0, t * self.direct[col]));
        }
        for &(k, a) in &self.columns[col] {
            let x = -a * t;
            parts.push((Some(k), x, x * self.unit_scores[k]));
        }
        parts.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
        let (mut rest, mut rest_count) = (0.0, 0);
        for (k, x, v) in parts {
            if v.abs() < threshold {
                rest += v;
                rest_count += 1;
                continue;
            }
            node.children.push(match k {
                Some(k) => self.node(k, x, depth + 1),
                None => ContributionNode {
                    kind: "direct".into(),
                    id: String::new(),
                    name: "direct emissions".into(),
                    amount: t,
                    unit: String::new(),
                    value: v,
                    share: self.share(v),
                    children: Vec::new(),
                },
            });
        }
        if rest_count > 0 {
            node.children.push(ContributionNode {
                kind: "rest".into(),
                id: String::new(),
                name: format!("{rest_count} part(s) below the cut-off"),
                amount: 0.0,
                unit: String::new(),
                value: rest,
                share: self.share(rest),
                children: Vec::new(),
            });
        }
        node
    }
}
