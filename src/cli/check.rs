//! `coagtag check`: validate ontologies and summarise them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use coagtag::ontology::{self, Ontology, TermKind};

use super::common::OntologyArgs;
use coagtag::tag::matcher::Matcher;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    ontology: OntologyArgs,

    /// Also list every generated variant (concept, term, variant) and the variants dropped
    /// because another concept claims the same text.
    #[arg(long)]
    variants: bool,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<ExitCode> {
    let ont = match args.ontology.load() {
        Ok(o) => o,
        Err(e) => {
            eprint!("coagtag: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    if !quiet {
        super::common::ontology_warnings(&ont);
    }
    let matcher = Matcher::new(&ont);
    // examples are checked as `tag` tags them: matching plus abbreviation resolution
    let problems = match coagtag::tag::Tagger::from_ontology(ont.clone()) {
        Ok(_) => Vec::new(),
        Err(e) => e.0,
    };
    if !problems.is_empty() {
        eprint!("coagtag: {}", ontology::OntologyErrors(problems));
        return Ok(ExitCode::from(1));
    }
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    super::common::out(&summary(&ont, &matcher))?;
    if args.variants {
        super::common::out(&variant_listing(&ont, &matcher))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(ont: &Ontology, m: &Matcher) -> String {
    let mut s = String::new();
    for line in source_lines(ont) {
        let _ = writeln!(s, "{line}");
    }
    let cats = ont.categories();
    let syn = ont
        .concepts
        .iter()
        .flat_map(|c| &c.terms)
        .filter(|t| t.kind == TermKind::Synonym)
        .count();
    let abbr = ont
        .concepts
        .iter()
        .flat_map(|c| &c.terms)
        .filter(|t| t.kind == TermKind::Abbreviation)
        .count();
    let excl: usize = ont.concepts.iter().map(|c| c.excludes.len()).sum();
    let ex: usize = ont
        .concepts
        .iter()
        .map(|c| c.examples_match.len() + c.examples_no_match.len())
        .sum();
    let _ = writeln!(
        s,
        "concepts: {} in {} top-level categories",
        ont.concepts.len(),
        cats.len()
    );
    let _ = writeln!(
        s,
        "terms: {} ({syn} synonyms, {abbr} abbreviations), {excl} exclude phrases",
        syn + abbr
    );
    let _ = writeln!(
        s,
        "generated variants: {} ({} dropped as claimed by another concept); patterns: {}",
        m.stats.variants,
        m.stats.dropped.len(),
        m.stats.patterns
    );
    let _ = writeln!(s, "example sentences: {ex}, all tag as they say");
    let mut per: BTreeMap<u32, (usize, u32)> = BTreeMap::new();
    for c in &ont.concepts {
        let e = per.entry(c.category.0).or_default();
        e.0 += 1;
        e.1 = e.1.max(c.depth);
    }
    let width = cats.iter().map(|&c| ont.concept(c).id.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(s, "\n{:<width$}  concepts  depth", "category");
    for c in cats {
        let (n, d) = per.get(&c.0).copied().unwrap_or((1, 0));
        let _ = writeln!(s, "{:<width$}  {:>8}  {:>5}", ont.concept(c).id, n, d);
    }
    if ont.warnings.is_empty() {
        s.push_str("\nok: no problems found\n");
    } else {
        let n = ont.warnings.len();
        let _ = writeln!(
            s,
            "\nok: no problems found; {n} warning{} (on standard error)",
            if n == 1 { "" } else { "s" }
        );
    }
    s
}

/// One line per file loaded: its header, what it defines and what it extends.
fn source_lines(ont: &Ontology) -> Vec<String> {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    ont.sources
        .iter()
        .map(|f| {
            let mut what = Vec::new();
            if f.concepts > 0 || f.extended == 0 {
                what.push(plural(f.concepts, "concept", "concepts"));
            }
            if f.extended > 0 {
                what.push(format!(
                    "extends {} with {}",
                    plural(f.extended, "concept", "concepts"),
                    plural(f.terms, "term", "terms")
                ));
            }
            match &f.header {
                Some(h) if h.version.is_empty() => format!("ontology: {} ({}): {}", h.id, f.name, what.join(", ")),
                Some(h) => format!("ontology: {} {} ({}): {}", h.id, h.version, f.name, what.join(", ")),
                None => format!("ontology: {}: {}", f.name, what.join(", ")),
            }
        })
        .collect()
}

fn variant_listing(ont: &Ontology, m: &Matcher) -> String {
    let mut s = String::from("\nconcept\tterm\tvariant\n");
    for c in &ont.concepts {
        for t in &c.terms {
            let canon = coagtag::normalize::canonical(&t.text);
            for v in ontology::variants::variants(&canon, t.kind == TermKind::Abbreviation)
                .into_iter()
                .skip(1)
            {
                let _ = writeln!(s, "{}\t{}\t{}", c.id, t.text, v);
            }
        }
    }
    if !m.stats.dropped.is_empty() {
        s.push_str("\ndropped variant\tof concept\tclaimed by\n");
        for d in &m.stats.dropped {
            let others: Vec<&str> = d.others.iter().map(|&o| ont.concept(o).id.as_str()).collect();
            let _ = writeln!(s, "{}\t{}\t{}", d.text, ont.concept(d.concept).id, others.join(","));
        }
    }
    s
}
