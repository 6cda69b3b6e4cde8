//! Formulas for parameters and amounts: arithmetic, comparisons, `min`/`max`/`if` and a
//! few mathematical functions, over named parameters.
//!
//! The grammar is the one practitioners know from openLCA and spreadsheets:
//! `120 + 0.5 * road_km`, `if(mass > 10, 0.9, 1.0)`, `max(0, yield - 0.02)`, `2^3`.
//! Comparisons give 1 or 0; `and`/`or`/`not` (or `&&`/`||`/`!`) combine them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Variable(String),
    Unary(char, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Min,
    Max,
    If,
    Abs,
    Sqrt,
    Exp,
    Ln,
    Log10,
    Round,
}

impl Function {
    fn from_name(name: &str) -> Option<Function> {
        Some(match name.to_ascii_lowercase().as_str() {
            "min" => Function::Min,
            "max" => Function::Max,
            "if" | "iif" => Function::If,
            "abs" => Function::Abs,
            "sqrt" => Function::Sqrt,
            "exp" => Function::Exp,
            "ln" => Function::Ln,
            "log10" | "log" => Function::Log10,
            "round" => Function::Round,
            _ => return None,
        })
    }
}

/// Why a formula could not be read or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormulaError {
    #[error("syntax error at character {position} of '{formula}': {problem}")]
    Syntax {
        formula: String,
        position: usize,
        problem: String,
    },
    #[error("'{name}' is not defined")]
    Undefined { name: String },
    #[error("{0}")]
    Evaluation(String),
}

impl Expr {
    pub fn parse(formula: &str) -> Result<Expr, FormulaError> {
        let tokens = tokenize(formula)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            formula,
        };
        let e = p.expr(0)?;
        if let Some((tok, at)) = p.tokens.get(p.pos) {
            return Err(p.error(*at, format!("unexpected '{tok}'")));
        }
        Ok(e)
    }

    /// Names of the parameters this formula reads.
    pub fn variables(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Variable(v) => {
                out.insert(v.clone());
            }
            Expr::Unary(_, e) => e.collect(out),
            Expr::Binary(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
    }

    /// Evaluates with parameter values from `env`. The result must be finite.
    pub fn eval(&self, env: &dyn Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
        let v = self.eval_inner(env)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(FormulaError::Evaluation(format!(
                "the result is not a finite number ({v})"
            )))
        }
    }

    fn eval_inner(&self, env: &dyn Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
        Ok(match self {
            Expr::Number(n) => *n,
            Expr::Variable(v) => {
                env(v).ok_or_else(|| FormulaError::Undefined { name: v.clone() })?
            }
            Expr::Unary('-', e) => -e.eval_inner(env)?,
            Expr::Unary(_, e) => bool_num(e.eval_inner(env)? == 0.0),
            Expr::Binary(op, a, b) => {
                let x = a.eval_inner(env)?;
                // `and`/`or` short-circuit so `if`-style guards work.
                match op {
                    BinaryOp::And if x == 0.0 => return Ok(0.0),
                    BinaryOp::Or if x != 0.0 => return Ok(1.0),
                    _ => {}
                }
                let y = b.eval_inner(env)?;
                match op {
                    BinaryOp::Add => x + y,
                    BinaryOp::Sub => x - y,
                    BinaryOp::Mul => x * y,
                    BinaryOp::Div => {
                        if y == 0.0 {
                            return Err(FormulaError::Evaluation("division by zero".into()));
                        }
                        x / y
                    }
                    BinaryOp::Pow => x.powf(y),
                    BinaryOp::Lt => bool_num(x < y),
                    BinaryOp::Le => bool_num(x <= y),
                    BinaryOp::Gt => bool_num(x > y),
                    BinaryOp::Ge => bool_num(x >= y),
                    BinaryOp::Eq => bool_num(x == y),
                    BinaryOp::Ne => bool_num(x != y),
                    BinaryOp::And | BinaryOp::Or => bool_num(y != 0.0),
                }
            }
            Expr::Call(f, args) => {
                let arity_error = |want: &str| {
                    FormulaError::Evaluation(
                        format!("{f:?} takes {want} argument(s), got {}", args.len())
                            .to_lowercase(),
                    )
                };
                match f {
                    Function::If => {
                        let [c, a, b] = args.as_slice() else {
                            return Err(arity_error("3"));
                        };
                        if c.eval_inner(env)? != 0.0 {
                            a.eval_inner(env)?
                        } else {
                            b.eval_inner(env)?
                        }
                    }
                    Function::Min | Function::Max => {
                        if args.is_empty() {
                            return Err(arity_error("at least 1"));
                        }
                        let mut acc = args[0].eval_inner(env)?;
                        for a in &args[1..] {
                            let v = a.eval_inner(env)?;
                            acc = if *f == Function::Min {
                                acc.min(v)
                            } else {
                                acc.max(v)
                            };
                        }
                        acc
                    }
                    _ => {
                        let [a] = args.as_slice() else {
                            return Err(arity_error("1"));
                        };
                        let x = a.eval_inner(env)?;
                        match f {
                            Function::Abs => x.abs(),
                            Function::Sqrt if x < 0.0 => {
                                return Err(FormulaError::Evaluation(format!(
                                    "sqrt of a negative number ({x})"
                                )));
                            }
                            Function::Sqrt => x.sqrt(),
                            Function::Exp => x.exp(),
                            Function::Ln | Function::Log10 if x <= 0.0 => {
                                return Err(FormulaError::Evaluation(format!("logarithm of {x}")));
                            }
                            Function::Ln => x.ln(),
                            Function::Log10 => x.log10(),
                            _ => x.round(),
                        }
                    }
                }
            }
        })
    }
}

fn bool_num(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Ident(String),
    Op(&'static str),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Num(n) => write!(f, "{n}"),
            Token::Ident(s) => f.write_str(s),
            Token::Op(s) => f.write_str(s),
        }
    }
}

const OPERATORS: &[&str] = &[
    "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "^", "(", ")", ",", "<", ">", "!",
];

fn tokenize(formula: &str) -> Result<Vec<(Token, usize)>, FormulaError> {
    let chars: Vec<char> = formula.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let n = text.parse::<f64>().map_err(|_| FormulaError::Syntax {
                formula: formula.into(),
                position: start + 1,
                problem: format!("'{text}' is not a number"),
            })?;
            out.push((Token::Num(n), start + 1));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let tok = match word.to_ascii_lowercase().as_str() {
                "and" => Token::Op("&&"),
                "or" => Token::Op("||"),
                "not" => Token::Op("!"),
                _ => Token::Ident(word),
            };
            out.push((tok, start + 1));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = OPERATORS
                .iter()
                .find(|op| rest.starts_with(**op))
                .ok_or_else(|| FormulaError::Syntax {
                    formula: formula.into(),
                    position: i + 1,
                    problem: format!("unexpected character '{c}'"),
                })?;
            out.push((Token::Op(op), i + 1));
            i += op.chars().count();
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<(Token, usize)>,
    pos: usize,
    formula: &'a str,
}

fn binary_op(op: &str) -> Option<(BinaryOp, u8, bool)> {
    // (operator, precedence, right-associative)
    Some(match op {
        "||" => (BinaryOp::Or, 1, false),
        "&&" => (BinaryOp::And, 2, false),
        "==" => (BinaryOp::Eq, 3, false),
        "!=" => (BinaryOp::Ne, 3, false),
        "<" => (BinaryOp::Lt, 4, false),
        "<=" => (BinaryOp::Le, 4, false),
        ">" => (BinaryOp::Gt, 4, false),
        ">=" => (BinaryOp::Ge, 4, false),
        "+" => (BinaryOp::Add, 5, false),
        "-" => (BinaryOp::Sub, 5, false),
        "*" => (BinaryOp::Mul, 6, false),
        "/" => (BinaryOp::Div, 6, false),
        "^" => (BinaryOp::Pow, 8, true),
        _ => return None,
    })
}

impl Parser<'_> {
    fn error(&self, position: usize, problem: String) -> FormulaError {
        FormulaError::Syntax {
            formula: self.formula.into(),
            position,
            problem,
        }
    }

    fn end_position(&self) -> usize {
        self.formula.chars().count() + 1
    }

    fn expr(&mut self, min_prec: u8) -> Result<Expr, FormulaError> {
        let mut lhs = self.unary()?;
        while let Some((Token::Op(op), _)) = self.tokens.get(self.pos) {
            let Some((bop, prec, right)) = binary_op(op) else {
                break;
            };
            if prec < min_prec {
                break;
            }
            self.pos += 1;
            let rhs = self.expr(if right { prec } else { prec + 1 })?;
            lhs = Expr::Binary(bop, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        match self.tokens.get(self.pos) {
            Some((Token::Op("-"), _)) => {
                self.pos += 1;
                // Unary minus binds looser than ^ so that -2^2 = -4, as in mathematics.
                Ok(Expr::Unary('-', Box::new(self.expr(7)?)))
            }
            Some((Token::Op("+"), _)) => {
                self.pos += 1;
                self.expr(7)
            }
            Some((Token::Op("!"), _)) => {
                self.pos += 1;
                Ok(Expr::Unary('!', Box::new(self.expr(7)?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, FormulaError> {
        let Some((tok, at)) = self.tokens.get(self.pos).cloned() else {
            return Err(self.error(self.end_position(), "the formula ends too early".into()));
        };
        self.pos += 1;
        match tok {
            Token::Num(n) => Ok(Expr::Number(n)),
            Token::Ident(name) => {
                if let Some((Token::Op("("), _)) = self.tokens.get(self.pos) {
                    let f = Function::from_name(&name)
                        .ok_or_else(|| self.error(at, format!("unknown function '{name}'")))?;
                    self.pos += 1;
                    let mut args = Vec::new();
                    if let Some((Token::Op(")"), _)) = self.tokens.get(self.pos) {
                        self.pos += 1;
                    } else {
                        loop {
                            args.push(self.expr(0)?);
                            match self.tokens.get(self.pos) {
                                Some((Token::Op(","), _)) => self.pos += 1,
                                Some((Token::Op(")"), _)) => {
                                    self.pos += 1;
                                    break;
                                }
                                Some((t, p)) => {
                                    return Err(
                                        self.error(*p, format!("expected ',' or ')', found '{t}'"))
                                    );
                                }
                                None => {
                                    return Err(
                                        self.error(self.end_position(), "missing ')'".into())
                                    );
                                }
                            }
                        }
                    }
                    Ok(Expr::Call(f, args))
                } else {
                    Ok(Expr::Variable(name))
                }
            }
            Token::Op("(") => {
                let e = self.expr(0)?;
                match self.tokens.get(self.pos) {
                    Some((Token::Op(")"), _)) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => Err(self.error(at, "this '(' is never closed".into())),
                }
            }
            Token::Op(op) => Err(self.error(at, format!("unexpected '{op}'"))),
        }
    }
}

/// Why a set of parameters could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParameterError {
    #[error("parameter '{name}': {source}")]
    Formula { name: String, source: FormulaError },
    #[error("parameter '{name}' refers to '{missing}', which is not defined")]
    Undefined { name: String, missing: String },
    #[error("parameters form a cycle: {}", cycle.join(" → "))]
    Cycle { cycle: Vec<String> },
}

/// A parameter's definition: a constant or a formula over other parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    Value(f64),
    Formula(Expr),
}

/// Evaluates every parameter in dependency order.
///
/// `overrides` replaces the value of named parameters (Monte Carlo samples and
/// sensitivity runs go through here); a formula parameter can be overridden too.
pub fn evaluate_parameters(
    defs: &BTreeMap<String, Definition>,
    overrides: &HashMap<String, f64>,
) -> Result<BTreeMap<String, f64>, ParameterError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    let mut values: BTreeMap<String, f64> = BTreeMap::new();
    let mut marks: HashMap<&str, Mark> = HashMap::new();

    fn visit<'a>(
        name: &'a str,
        defs: &'a BTreeMap<String, Definition>,
        overrides: &HashMap<String, f64>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        values: &mut BTreeMap<String, f64>,
    ) -> Result<(), ParameterError> {
        match marks.get(name) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let start = stack.iter().position(|n| *n == name).unwrap_or(0);
                let mut cycle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(name.to_string());
                return Err(ParameterError::Cycle { cycle });
            }
            None => {}
        }
        let Some((key, def)) = defs.get_key_value(name) else {
            return Err(ParameterError::Undefined {
                name: name.to_string(),
                missing: name.to_string(),
            });
        };
        if let Some(v) = overrides.get(name) {
            values.insert(key.clone(), *v);
            marks.insert(key, Mark::Done);
            return Ok(());
        }
        marks.insert(key, Mark::Visiting);
        stack.push(key);
        let v = match def {
            Definition::Value(v) => *v,
            Definition::Formula(e) => {
                for dep in e.variables() {
                    let Some((dep_key, _)) = defs.get_key_value(dep.as_str()) else {
                        return Err(ParameterError::Undefined {
                            name: key.clone(),
                            missing: dep,
                        });
                    };
                    visit(dep_key, defs, overrides, marks, stack, values)?;
                }
                e.eval(&|n| values.get(n).copied())
                    .map_err(|source| ParameterError::Formula {
                        name: key.clone(),
                        source,
                    })?
            }
        };
        stack.pop();
        values.insert(key.clone(), v);
        marks.insert(key, Mark::Done);
        Ok(())
    }

    for name in defs.keys() {
        let mut stack = Vec::new();
        visit(name, defs, overrides, &mut marks, &mut stack, &mut values)?;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str) -> f64 {
        Expr::parse(s)
            .unwrap()
            .eval(&|n| match n {
                "a" => Some(2.0),
                "b" => Some(10.0),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn arithmetic_follows_school_precedence() {
        assert_eq!(eval("120 + 0.5 * 800"), 520.0);
        assert_eq!(eval("(1 + 2) * 3"), 9.0);
        assert_eq!(eval("2 ^ 3 ^ 2"), 512.0); // right-associative: 2^(3^2)
        assert_eq!(eval("-2 ^ 2"), -4.0);
        assert_eq!(eval("10 / 4 - 1"), 1.5);
        assert_eq!(eval("1.5e3 * a"), 3000.0);
        assert_eq!(eval(".5 + 1"), 1.5);
    }

    #[test]
    fn functions_and_conditions() {
        assert_eq!(eval("min(a, b, 7)"), 2.0);
        assert_eq!(eval("max(0, a - b)"), 0.0);
        assert_eq!(eval("if(a > 1, b, 0)"), 10.0);
        assert_eq!(eval("if(a >= 3 or b == 10, 1, 2)"), 1.0);
        assert_eq!(eval("if(not (a < b), 1, 2)"), 2.0);
        assert_eq!(eval("sqrt(16) + abs(-1) + round(2.4)"), 7.0);
    }

    #[test]
    fn errors_say_where() {
        let e = Expr::parse("1 + * 2").unwrap_err();
        assert!(e.to_string().contains("character 5"), "{e}");
        assert!(
            Expr::parse("foo(1)")
                .unwrap_err()
                .to_string()
                .contains("unknown function 'foo'")
        );
        assert!(
            Expr::parse("(1 + 2")
                .unwrap_err()
                .to_string()
                .contains("never closed")
        );
        assert!(
            Expr::parse("1 # 2")
                .unwrap_err()
                .to_string()
                .contains("'#'")
        );
        let e = Expr::parse("x + 1").unwrap().eval(&|_| None).unwrap_err();
        assert_eq!(e.to_string(), "'x' is not defined");
        assert!(
            Expr::parse("1 / (a - 2)")
                .unwrap()
                .eval(&|_| Some(2.0))
                .is_err()
        );
    }

    fn defs(items: &[(&str, &str)]) -> BTreeMap<String, Definition> {
        items
            .iter()
            .map(|(k, v)| {
                let d = match v.parse::<f64>() {
                    Ok(n) => Definition::Value(n),
                    Err(_) => Definition::Formula(Expr::parse(v).unwrap()),
                };
                (k.to_string(), d)
            })
            .collect()
    }

    #[test]
    fn parameters_evaluate_in_dependency_order() {
        let d = defs(&[("z", "y * 2"), ("y", "x + 1"), ("x", "3")]);
        let v = evaluate_parameters(&d, &HashMap::new()).unwrap();
        assert_eq!(v["z"], 8.0);
        let o = HashMap::from([("x".to_string(), 10.0)]);
        assert_eq!(evaluate_parameters(&d, &o).unwrap()["z"], 22.0);
    }

    #[test]
    fn cycles_and_undefined_names_are_named() {
        let d = defs(&[("a", "b + 1"), ("b", "c * 2"), ("c", "a")]);
        let e = evaluate_parameters(&d, &HashMap::new()).unwrap_err();
        assert_eq!(e.to_string(), "parameters form a cycle: a → b → c → a");
        let d = defs(&[("a", "a + 1")]);
        assert_eq!(
            evaluate_parameters(&d, &HashMap::new())
                .unwrap_err()
                .to_string(),
            "parameters form a cycle: a → a"
        );
        let d = defs(&[("a", "ghost * 2")]);
        assert_eq!(
            evaluate_parameters(&d, &HashMap::new())
                .unwrap_err()
                .to_string(),
            "parameter 'a' refers to 'ghost', which is not defined"
        );
    }
}
