//! `diff OLD NEW`: what changed between two runs, cell by cell, with the evidence behind it.
//!
//! A run is a matrix CSV (either layout) or an output directory holding `matrix.csv` and,
//! optionally, `evidence.csv`. Cells are compared by (concept, article): a cell is *gained* when
//! it goes from 0 (or absent) to a count, *lost* when it goes to 0 (or disappears), *changed*
//! when both counts are non-zero and differ. With evidence files, each gained or changed cell is
//! explained by the new run's evidence rows and each lost one by the old run's.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::output::Dialect;

/// A problem reading a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffError {
    pub path: String,
    pub line: Option<u64>,
    pub message: String,
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for DiffError {}

/// Columns of a matrix in the article-rows layout that are metadata, not concepts.
const METADATA: [&str; 6] = ["year", "journal", "doi", "title", "pmid", "version"];

/// One run: its cells and, if present, its evidence.
#[derive(Debug, Default)]
pub struct Run {
    pub path: String,
    /// Concept ids in the run's order.
    pub concepts: Vec<String>,
    /// Article ids in the run's order.
    pub articles: Vec<String>,
    cells: HashMap<(String, String), u64>,
    /// (article, concept) -> evidence lines for people.
    evidence: Option<HashMap<(String, String), Vec<String>>>,
}

impl Run {
    pub fn cell(&self, concept: &str, article: &str) -> u64 {
        self.cells
            .get(&(concept.to_string(), article.to_string()))
            .copied()
            .unwrap_or(0)
    }

    pub fn has_evidence(&self) -> bool {
        self.evidence.is_some()
    }

    fn evidence_for(&self, article: &str, concept: &str) -> &[String] {
        self.evidence
            .as_ref()
            .and_then(|e| e.get(&(article.to_string(), concept.to_string())))
            .map_or(&[], Vec::as_slice)
    }
}

fn err(path: &Path, line: Option<u64>, message: impl Into<String>) -> DiffError {
    DiffError {
        path: path.display().to_string(),
        line,
        message: message.into(),
    }
}

/// Read a run from a matrix CSV or an output directory.
pub fn load_run(path: &Path) -> Result<Run, DiffError> {
    let (matrix, evidence): (PathBuf, Option<PathBuf>) = if path.is_dir() {
        let m = path.join("matrix.csv");
        if !m.exists() {
            return Err(err(
                path,
                None,
                "the directory has no matrix.csv (give a matrix CSV or a directory of products)",
            ));
        }
        let e = path.join("evidence.csv");
        (m, e.exists().then_some(e))
    } else {
        (path.to_path_buf(), None)
    };
    let mut run = read_matrix(&matrix)?;
    run.path = path.display().to_string();
    if let Some(e) = evidence {
        run.evidence = Some(read_evidence(&e)?);
    }
    Ok(run)
}

fn read_matrix(path: &Path) -> Result<Run, DiffError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| err(path, None, format!("cannot read: {e}")))?;
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| err(path, Some(1), format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut run = Run::default();
    let parse = |v: &str, line: u64| -> Result<u64, DiffError> {
        v.trim()
            .parse::<u64>()
            .map_err(|_| err(path, Some(line), format!("{v:?} is not a count")))
    };
    match header.first().map(String::as_str) {
        Some("concept_id") => {
            let first = header.iter().position(|h| h == "category").map_or(1, |i| i + 1);
            run.articles = header[first..].to_vec();
            for rec in rdr.records() {
                let rec = rec.map_err(|e| err(path, e.position().map(|p| p.line()), e.to_string()))?;
                let line = rec.position().map_or(0, |p| p.line());
                let concept = rec.get(0).unwrap_or_default().to_string();
                for (j, a) in run.articles.iter().enumerate() {
                    let n = parse(rec.get(first + j).unwrap_or("0"), line)?;
                    if n > 0 {
                        run.cells.insert((concept.clone(), a.clone()), n);
                    }
                }
                run.concepts.push(concept);
            }
        }
        Some("article_id") => {
            let cols: Vec<usize> = (1..header.len())
                .filter(|&i| !METADATA.contains(&header[i].as_str()))
                .collect();
            run.concepts = cols.iter().map(|&i| header[i].clone()).collect();
            for rec in rdr.records() {
                let rec = rec.map_err(|e| err(path, e.position().map(|p| p.line()), e.to_string()))?;
                let line = rec.position().map_or(0, |p| p.line());
                let article = rec.get(0).unwrap_or_default().to_string();
                for &i in &cols {
                    let n = parse(rec.get(i).unwrap_or("0"), line)?;
                    if n > 0 {
                        run.cells.insert((header[i].clone(), article.clone()), n);
                    }
                }
                run.articles.push(article);
            }
        }
        _ => {
            return Err(err(
                path,
                Some(1),
                "not a coagtag matrix: the first column must be concept_id or article_id",
            ));
        }
    }
    Ok(run)
}

fn read_evidence(path: &Path) -> Result<HashMap<(String, String), Vec<String>>, DiffError> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| err(path, None, format!("cannot read: {e}")))?;
    let header = rdr.headers().map_err(|e| err(path, Some(1), e.to_string()))?.clone();
    let col = |n: &str| header.iter().position(|h| h.trim_start_matches('\u{feff}') == n);
    let (Some(a), Some(c)) = (col("article_id"), col("concept_id")) else {
        return Err(err(
            path,
            Some(1),
            "not a coagtag evidence file: no article_id and concept_id columns",
        ));
    };
    let (text, section, sentence) = (col("text"), col("section"), col("sentence"));
    let mut out: HashMap<(String, String), Vec<String>> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(path, e.position().map(|p| p.line()), e.to_string()))?;
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or_default();
        let line = format!("[{}] {:?}: {}", get(section), get(text), get(sentence));
        out.entry((get(Some(a)).to_string(), get(Some(c)).to_string()))
            .or_default()
            .push(line);
    }
    Ok(out)
}

/// The kind of a changed cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Gained,
    Lost,
    Changed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gained => "gained",
            Kind::Lost => "lost",
            Kind::Changed => "changed",
        }
    }
}

/// One changed cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub concept: String,
    pub article: String,
    pub old: u64,
    pub new: u64,
}

/// All differences between two runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// In concept order (new run's order, then concepts only in the old run), then article
    /// order.
    pub changes: Vec<Change>,
    pub articles_only_old: Vec<String>,
    pub articles_only_new: Vec<String>,
    pub concepts_only_old: Vec<String>,
    pub concepts_only_new: Vec<String>,
}

/// Compare two runs.
pub fn diff(old: &Run, new: &Run) -> Diff {
    let old_c: BTreeSet<&String> = old.concepts.iter().collect();
    let new_c: BTreeSet<&String> = new.concepts.iter().collect();
    let old_a: BTreeSet<&String> = old.articles.iter().collect();
    let new_a: BTreeSet<&String> = new.articles.iter().collect();
    let mut concepts: Vec<&String> = new.concepts.iter().collect();
    concepts.extend(old.concepts.iter().filter(|c| !new_c.contains(c)));
    let mut articles: Vec<&String> = new.articles.iter().collect();
    articles.extend(old.articles.iter().filter(|a| !new_a.contains(a)));
    let mut changes = Vec::new();
    for c in &concepts {
        for a in &articles {
            let (o, n) = (old.cell(c, a), new.cell(c, a));
            let kind = match (o, n) {
                (0, 0) => continue,
                (0, _) => Kind::Gained,
                (_, 0) => Kind::Lost,
                (o, n) if o != n => Kind::Changed,
                _ => continue,
            };
            changes.push(Change {
                kind,
                concept: c.to_string(),
                article: a.to_string(),
                old: o,
                new: n,
            });
        }
    }
    Diff {
        changes,
        articles_only_old: old.articles.iter().filter(|a| !new_a.contains(a)).cloned().collect(),
        articles_only_new: new.articles.iter().filter(|a| !old_a.contains(a)).cloned().collect(),
        concepts_only_old: old.concepts.iter().filter(|c| !new_c.contains(c)).cloned().collect(),
        concepts_only_new: new.concepts.iter().filter(|c| !old_c.contains(c)).cloned().collect(),
    }
}

fn evidence<'r>(c: &Change, old: &'r Run, new: &'r Run) -> &'r [String] {
    match c.kind {
        Kind::Lost => old.evidence_for(&c.article, &c.concept),
        _ => new.evidence_for(&c.article, &c.concept),
    }
}

/// A readable report: totals per concept, then every change with its evidence (at most
/// `per_concept` changes shown per concept).
pub fn render(d: &Diff, old: &Run, new: &Run, per_concept: usize) -> String {
    let mut out = String::new();
    let count = |k: Kind| d.changes.iter().filter(|c| c.kind == k).count();
    let _ = writeln!(
        out,
        "{} -> {}: {} cells gained, {} lost, {} changed",
        old.path,
        new.path,
        count(Kind::Gained),
        count(Kind::Lost),
        count(Kind::Changed)
    );
    for (label, list) in [
        ("articles only in the old run", &d.articles_only_old),
        ("articles only in the new run", &d.articles_only_new),
        ("concepts only in the old run", &d.concepts_only_old),
        ("concepts only in the new run", &d.concepts_only_new),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{label} ({}): {}", list.len(), list.join(", "));
        }
    }
    let mut per: BTreeMap<usize, (&str, Vec<&Change>)> = BTreeMap::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for c in &d.changes {
        let n = index.len();
        let i = *index.entry(c.concept.as_str()).or_insert(n);
        per.entry(i).or_insert((c.concept.as_str(), Vec::new())).1.push(c);
    }
    for (concept, list) in per.values() {
        let g = list.iter().filter(|c| c.kind == Kind::Gained).count();
        let l = list.iter().filter(|c| c.kind == Kind::Lost).count();
        let ch = list.len() - g - l;
        let _ = writeln!(out, "\n{concept}: +{g} -{l} ~{ch}");
        for c in list.iter().take(per_concept) {
            let sign = match c.kind {
                Kind::Gained => '+',
                Kind::Lost => '-',
                Kind::Changed => '~',
            };
            let _ = writeln!(out, "  {sign} {} ({} -> {})", c.article, c.old, c.new);
            for e in evidence(c, old, new) {
                let _ = writeln!(out, "      {e}");
            }
        }
        if list.len() > per_concept {
            let _ = writeln!(out, "  ... {} more (all in the CSV with -o)", list.len() - per_concept);
        }
    }
    out
}

/// Every change as CSV: `change,concept_id,article_id,old,new,evidence`.
pub fn write_csv<W: Write>(w: W, d: &Diff, old: &Run, new: &Run) -> io::Result<()> {
    let mut out = Dialect::default().writer(w)?;
    out.write_record(["change", "concept_id", "article_id", "old", "new", "evidence"])?;
    for c in &d.changes {
        out.write_record([
            c.kind.as_str(),
            &c.concept,
            &c.article,
            &c.old.to_string(),
            &c.new.to_string(),
            &evidence(c, old, new).join(" | "),
        ])?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn gained_lost_changed_across_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let old = write(
            dir.path(),
            "old.csv",
            "concept_id,label,category,p1,p2\na,A,a,1,0\nb,B,a,2,3\n",
        );
        let new = write(
            dir.path(),
            "new.csv",
            "article_id,year,a,b,c\np1,2001,1,0,0\np2,2002,4,3,1\np3,2003,0,0,0\n",
        );
        let (o, n) = (load_run(&old).unwrap(), load_run(&new).unwrap());
        let d = diff(&o, &n);
        let got: Vec<(Kind, &str, &str, u64, u64)> = d
            .changes
            .iter()
            .map(|c| (c.kind, c.concept.as_str(), c.article.as_str(), c.old, c.new))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::Gained, "a", "p2", 0, 4),
                (Kind::Lost, "b", "p1", 2, 0),
                (Kind::Gained, "c", "p2", 0, 1)
            ]
        );
        assert_eq!(d.articles_only_new, vec!["p3"]);
        assert_eq!(d.concepts_only_new, vec!["c"]);
    }

    #[test]
    fn out_dirs_bring_their_evidence() {
        let dir = tempfile::tempdir().unwrap();
        for (run, cell, sentence) in [("old", "0", ""), ("new", "1", "TF rose.")] {
            let d = dir.path().join(run);
            std::fs::create_dir(&d).unwrap();
            write(
                &d,
                "matrix.csv",
                &format!("concept_id,label,category,p1\ntf,TF,c,{cell}\n"),
            );
            let mut ev =
                String::from("article_id,concept_id,label,category,text,term,section,start,end,sentence,via\n");
            if !sentence.is_empty() {
                ev.push_str(&format!("p1,tf,TF,c,TF,TF,title,0,2,{sentence},abbreviation\n"));
            }
            write(&d, "evidence.csv", &ev);
        }
        let (o, n) = (
            load_run(&dir.path().join("old")).unwrap(),
            load_run(&dir.path().join("new")).unwrap(),
        );
        let d = diff(&o, &n);
        let text = render(&d, &o, &n, 10);
        assert!(
            text.ends_with("\ntf: +1 -0 ~0\n  + p1 (0 -> 1)\n      [title] \"TF\": TF rose.\n"),
            "{text}"
        );
        let mut csv = Vec::new();
        write_csv(&mut csv, &d, &o, &n).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "change,concept_id,article_id,old,new,evidence\ngained,tf,p1,0,1,\"[title] \"\"TF\"\": TF rose.\"\n"
        );
    }

    #[test]
    fn not_a_matrix() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "x.csv", "id,title\n1,x\n");
        assert_eq!(
            load_run(&p).unwrap_err().to_string(),
            format!(
                "{}:1: not a coagtag matrix: the first column must be concept_id or article_id",
                p.display()
            )
        );
    }
}
