use rolo::extract::card;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let out = std::env::args().nth(2).unwrap();
    let min: u8 = std::env::args().nth(3).map(|v| v.parse().unwrap()).unwrap_or(48);
    let image = image::open(&path).unwrap().to_rgb8();
    let corners = card::find_card(&image).unwrap();
    let flat = card::straighten(&image, &corners).unwrap();
    let even = card::even_illumination(&card::grayscale(&flat));
    card::stretch_faint_print(&even, 14, min).save(&out).unwrap();
}
