//! Development aid: lays out every workflow of a project and writes SVG and PNG
//! into a folder, with the metrics and any broken invariant on stdout.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/procflow-dump".into()));
    std::fs::create_dir_all(&out).expect("output folder");
    let project = procflow::project::Project::read(&dir).expect("project");
    let checked = procflow::check(&project.sources);
    let model = &checked.model;
    let mut diagrams: Vec<_> = model
        .workflows
        .iter()
        .map(|w| procflow::layout::workflow(model, *w, procflow::layout::LayoutOptions::default()))
        .collect();
    diagrams.push(procflow::layout::landscape(model));
    for d in diagrams {
        let m = procflow::layout::metrics::measure(&d);
        println!("{}: {:?}", d.id, m);
        for v in procflow::layout::metrics::violations(&d) {
            println!("  ! {v}");
        }
        std::fs::write(out.join(format!("{}.svg", d.id)), procflow::render::svg::svg(&d)).expect("svg");
        match procflow::render::png::png(&d, 1.0) {
            Ok(png) => std::fs::write(out.join(format!("{}.png", d.id)), png).expect("png"),
            Err(e) => println!("  png failed: {e}"),
        }
    }
}
