//! Development aid: rasterises any SVG with the bundled font, to look at it.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: svg2png IN.svg OUT.png");
        std::process::exit(2);
    };
    let svg = std::fs::read(&input).expect("readable SVG");
    let mut options = resvg::usvg::Options { fontdb: procflow::render::png::font_database(), ..Default::default() };
    options.font_family = "Inter".to_string();
    let tree = resvg::usvg::Tree::from_data(&svg, &options).expect("valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("size");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.save_png(output).expect("written");
}
