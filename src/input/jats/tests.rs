use super::*;

fn read_with(xml: &str, name: &str, include: Include) -> Vec<Result<Record, InputError>> {
    let opts = InputOptions {
        full_text: include,
        ..InputOptions::default()
    };
    JatsReader::new(xml.as_bytes(), name, Naming::of(name), &opts).collect()
}

fn read(xml: &str) -> Vec<Result<Record, InputError>> {
    read_with(xml, "a.nxml", Include::default())
}

fn doc(r: &Result<Record, InputError>) -> &Document {
    match r {
        Ok(Record::Document(d)) => d,
        other => panic!("not a document: {other:?}"),
    }
}

fn kinds(d: &Document) -> Vec<(String, &'static str, String)> {
    d.sections
        .iter()
        .map(|s| (s.name.clone(), s.kind.name(), s.text.clone()))
        .collect()
}

const ARTICLE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML" article-type="research-article">
<front><journal-meta><journal-id journal-id-type="nlm-ta">Thromb J</journal-id><journal-title-group><journal-title>Thrombosis Journal</journal-title></journal-title-group></journal-meta>
<article-meta><article-id pub-id-type="pmid">111</article-id><article-id pub-id-type="pmc">222</article-id><article-id pub-id-type="doi">10.1/x</article-id>
<title-group><article-title>Tissue factor in <italic>septic</italic> mice<xref ref-type="fn" rid="fn1">*</xref></article-title>
<trans-title-group xml:lang="pt"><trans-title>Fator tecidual</trans-title></trans-title-group></title-group>
<pub-date pub-type="pmc-release"><year>2001</year></pub-date><pub-date pub-type="epub"><day>2</day><year>2020</year></pub-date><pub-date pub-type="ppub"><year>2021</year></pub-date>
<permissions><license xlink:href="https://creativecommons.org/licenses/by/4.0/"><license-p>CC BY</license-p></license></permissions>
<abstract><sec><title>Background</title><p>Sepsis causes DIC.</p></sec><sec><title>Methods and findings</title><p>We measured TF.</p></sec></abstract>
<abstract abstract-type="summary"><title>Author summary</title><p>Blood clots.</p></abstract>
<trans-abstract xml:lang="pt"><p>Sepse.</p></trans-abstract>
<kwd-group><kwd>thrombin</kwd></kwd-group>
<funding-group><funding-statement>Funded by thrombin grants.</funding-statement></funding-group>
</article-meta></front>
<body><p>Opening words on coagulation<xref ref-type="bibr" rid="b1">1</xref>,<xref ref-type="bibr" rid="b2">2</xref>.</p>
<sec sec-type="intro"><title>Introduction</title><p>Tissue factor<xref ref-type="bibr" rid="b1">12</xref> expression rises [<xref ref-type="bibr" rid="b2">13</xref>, <xref ref-type="bibr" rid="b3">14</xref>].</p>
<list><list-item><p>platelet</p></list-item><list-item><p>activation</p></list-item></list></sec>
<sec><title>2. Materials and Methods</title><sec><title>Mice</title><p>Mice got LPS (<xref ref-type="fig" rid="f1">Fig. 1</xref>).</p>
<p>R is <inline-formula><mml:math><mml:msup><mml:mi>R</mml:mi> <mml:mn>2</mml:mn></mml:msup></mml:math></inline-formula> <inline-formula><alternatives><tex-math>\alpha</tex-math><mml:math><mml:mi>&#x3b1;</mml:mi></mml:math></alternatives></inline-formula>.</p></sec></sec>
<sec><title>Platelet activation in septic mice</title><p>Results text.</p>
<fig id="f1"><label>Figure 1</label><caption><title>Thrombin generation.</title><p>Mean values.</p></caption><graphic xlink:href="f1.tif"/></fig>
<table-wrap id="t1"><label>Table 1</label><caption><p>Counts.</p></caption><table><tr><th>Marker</th><td>D-dimer</td></tr></table><table-wrap-foot><fn><p>Abbreviation note.</p></fn></table-wrap-foot></table-wrap>
<boxed-text><caption><title>Box 1</title></caption><p>Boxed thrombin.</p></boxed-text>
<supplementary-material><caption><p>Sepsis data.</p></caption></supplementary-material></sec>
<sec sec-type="results"><title>Results</title><sec><title>Patient characteristics</title><p>Older.</p></sec><sec><title>Conclusions</title><p>Done.</p></sec></sec>
<sec><title>Competing interests</title><p>None about sepsis.</p></sec>
</body>
<back><ack><title>Acknowledgements</title><p>Thanks for thrombin.</p></ack>
<ref-list><ref id="b1"><mixed-citation>Tissue factor in sepsis. J 2000.</mixed-citation></ref></ref-list>
<app-group><app><title>Appendix 1</title><p>More coagulation.</p></app></app-group>
<fn-group><fn fn-type="con"><p>AB wrote about thrombin.</p></fn></fn-group></back>
<sub-article article-type="decision-letter"><front-stub><title-group><article-title>Decision letter</article-title></title-group></front-stub><body><p>Reviewer on thrombin.</p></body></sub-article>
<sub-article article-type="translation" xml:lang="pt"><front-stub><title-group><article-title>Fator tecidual em camundongos</article-title></title-group></front-stub>
<body><sec sec-type="results"><title>Resultados</title><p>Trombina.</p></sec></body></sub-article>
</article>"#;

#[test]
fn an_article_reads_as_a_reader_reads_it() {
    let out = read(ARTICLE);
    assert_eq!(out.len(), 1, "{out:?}");
    let d = doc(&out[0]);
    assert_eq!(d.id, "PMC222");
    assert_eq!(d.meta.pmid.as_deref(), Some("111"));
    assert_eq!(d.meta.doi.as_deref(), Some("10.1/x"));
    assert_eq!(d.meta.year.as_deref(), Some("2020"));
    assert_eq!(d.meta.journal.as_deref(), Some("Thrombosis Journal"));
    assert_eq!(d.meta.licence.as_deref(), Some("CC BY 4.0"));
    assert_eq!(d.meta.title.as_deref(), Some("Tissue factor in septic mice"));
    assert!(d.meta.full_text);
    let s = |name: &str, kind: &'static str, text: &str| (name.to_string(), kind, text.to_string());
    assert_eq!(
        kinds(d),
        vec![
            s("title", "title", "Tissue factor in septic mice"),
            s("background", "background", "Background"),
            s("background", "background", "Sepsis causes DIC."),
            s("methods: Methods and findings", "methods", "Methods and findings"),
            s("methods: Methods and findings", "methods", "We measured TF."),
            s("abstract: Author summary", "abstract", "Author summary"),
            s("abstract: Author summary", "abstract", "Blood clots."),
            s("introduction", "introduction", "Opening words on coagulation."),
            s("introduction", "introduction", "Introduction"),
            s("introduction", "introduction", "Tissue factor expression rises."),
            s("introduction", "introduction", "platelet"),
            s("introduction", "introduction", "activation"),
            s(
                "methods: 2. Materials and Methods",
                "methods",
                "2. Materials and Methods"
            ),
            s("methods: Mice", "methods", "Mice"),
            s("methods: Mice", "methods", "Mice got LPS (Fig. 1)."),
            s("methods: Mice", "methods", "R is R2 α."),
            s(
                "other: Platelet activation in septic mice",
                "other",
                "Platelet activation in septic mice"
            ),
            s("other: Platelet activation in septic mice", "other", "Results text."),
            s("caption: Figure 1", "caption", "Thrombin generation."),
            s("caption: Figure 1", "caption", "Mean values."),
            s("caption: Table 1", "caption", "Counts."),
            s("other: Box 1", "other", "Box 1"),
            s("other: Box 1", "other", "Boxed thrombin."),
            s("results", "results", "Results"),
            s("results: Patient characteristics", "results", "Patient characteristics"),
            s("results: Patient characteristics", "results", "Older."),
            s("conclusions", "conclusions", "Conclusions"),
            s("conclusions", "conclusions", "Done."),
            s("other: Appendix 1", "other", "Appendix 1"),
            s("other: Appendix 1", "other", "More coagulation."),
        ]
    );
}

#[test]
fn included_parts_appear_and_the_reference_list_never_does() {
    let all = Include {
        tables: true,
        translations: true,
        sub_articles: true,
        back_matter: true,
    };
    let d = doc(&read_with(ARTICLE, "a.nxml", all)[0]).clone();
    let texts: Vec<(&str, &str)> = d.sections.iter().map(|s| (s.name.as_str(), s.text.as_str())).collect();
    for want in [
        ("title (pt)", "Fator tecidual"),
        ("abstract (pt)", "Sepse."),
        ("other", "Funded by thrombin grants."),
        ("caption: Table 1", "Marker"),
        ("caption: Table 1", "D-dimer"),
        ("caption: Table 1", "Abbreviation note."),
        ("other: Competing interests", "None about sepsis."),
        ("other: Acknowledgements", "Thanks for thrombin."),
        ("other", "AB wrote about thrombin."),
        ("other: Decision letter", "Reviewer on thrombin."),
        ("title (pt)", "Fator tecidual em camundongos"),
        ("results: Resultados (pt)", "Trombina."),
    ] {
        assert!(texts.contains(&want), "{want:?} not in {texts:#?}");
    }
    assert!(
        !texts
            .iter()
            .any(|(_, t)| t.contains("J 2000") || t.contains("Sepsis data"))
    );
    assert!(!texts.iter().any(|(_, t)| *t == "thrombin"), "keywords are metadata");
}

#[test]
fn ids_fall_back_to_the_file_name_the_doi_and_the_stem() {
    let bare = |ids: &str| {
        format!("<article><front><article-meta>{ids}</article-meta></front><body><p>x</p></body></article>")
    };
    let cases = [
        (
            bare(r#"<article-id pub-id-type="pmcid">PMC9</article-id>"#),
            "my file.nxml",
            "PMC9",
        ),
        (
            bare(r#"<article-id pub-id-type="doi">10.2/y</article-id>"#),
            "dir/PMC176545.nxml",
            "PMC176545",
        ),
        (
            bare(r#"<article-id pub-id-type="doi">10.2/y</article-id>"#),
            "BMC Blood Disord-6-_-1617083.nxml",
            "10.2/y",
        ),
        (bare(""), "dir/My paper 2.xml", "My paper 2"),
    ];
    for (xml, name, want) in cases {
        assert_eq!(doc(&read_with(&xml, name, Include::default())[0]).id, want, "{name}");
    }
}

#[test]
fn an_articleset_reads_every_article_and_skips_a_broken_one() {
    let set = "<pmc-articleset><article><front><article-meta><article-id pub-id-type=\"pmc\">1</article-id></article-meta></front></article>\
        <error>not found</error>\
        <article><body><p>bad</sec></body></article>\
        <article><body><p>a &foo; b</p></body></article>\
        <article><front><article-meta><article-id pub-id-type=\"pmc\">4</article-id></article-meta></front><body><p>ok</p></body></article></pmc-articleset>";
    let out = read_with(set, "efetch.xml", Include::default());
    let shown: Vec<String> = out
        .iter()
        .map(|r| match r {
            Ok(Record::Document(d)) => d.id.clone(),
            Ok(other) => format!("{other:?}"),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "PMC1".to_string(),
            format!(
                "efetch.xml: byte {}: record 2: unexpected element <error> in <pmc-articleset>; skipped",
                set.find("not found").unwrap()
            ),
            format!(
                "efetch.xml: byte {}: record 3: malformed XML: expected `</p>`, but `</sec>` was found",
                set.find("</sec>").unwrap()
            ),
            format!("efetch.xml: byte {}: record 4:", set.find("&foo;").unwrap() + 5)
                + " unknown entity &foo; (XML defines only &lt; &gt; &amp; &apos; &quot; and numeric references) (fix: replace the reference with the character it stands for)",
            "PMC4".to_string(),
        ]
    );
}

#[test]
fn file_level_problems_are_fatal_and_clear() {
    let cases = [
        (
            "",
            "a.nxml: the file is empty (fix: a JATS file holds an <article> (or a <pmc-articleset> of them))",
        ),
        (
            "<PubmedArticleSet></PubmedArticleSet>",
            "a.nxml: byte 18: the root element is <PubmedArticleSet>, not <article> or <pmc-articleset>: this is not JATS XML (fix: this is PubMed XML; read it with the PubMed reader (format pubmed))",
        ),
        (
            "<article><body><p>cut",
            "a.nxml: byte 21: record 1: the file ends inside the article: it is truncated (fix: download the file again)",
        ),
        (
            "<pmc-articleset><article></article>",
            "a.nxml: byte 35: the file ends before </pmc-articleset>: it is truncated (fix: download the file again)",
        ),
    ];
    for (xml, want) in cases {
        let out = read(xml);
        let e = out.last().unwrap().as_ref().unwrap_err();
        assert!(e.fatal, "{xml}");
        assert_eq!(e.to_string(), want, "{xml}");
    }
}

#[test]
fn pmc_ids_in_names_and_values() {
    assert_eq!(pmcid("8435807").as_deref(), Some("PMC8435807"));
    assert_eq!(pmcid("PMC8435807").as_deref(), Some("PMC8435807"));
    assert_eq!(pmcid("x1"), None);
    assert_eq!(
        pmcid_in_name("PMC000xxxxxx/PMC176545.xml").as_deref(),
        Some("PMC176545")
    );
    assert_eq!(pmcid_in_name("oa_pmc12_v2.nxml").as_deref(), Some("PMC12"));
    assert_eq!(pmcid_in_name("elife-02833-v2.xml"), None);
}
