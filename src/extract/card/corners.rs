//! Finding a business card's four corners in a photo.
//!
//! Whatever the photo's size, the work is done on small copies: regions that may be the card
//! are outlined on a copy `OUTLINE_SIDE` pixels on its longer side, their sides are fitted on
//! one of `SEARCH_SIDE`, and the winner's sides once more on one of up to `REFINE_SIDE`.
//!
//! The outlines come from two places: an edge map (Canny on the grey copy and on a copy of
//! how colourful each pixel is, so that a coloured band as bright as the desk still shows,
//! slightly thickened so that small gaps close) and the light and the dark parts of an Otsu
//! threshold. Each outline's convex hull is simplified to a polygon; its sides that run along
//! the image border are dropped (the card goes on outside the picture there) and the four
//! longest remaining sides, as lines, give a first quadrilateral, whose corners may lie
//! outside the image.
//!
//! Each side of each candidate is then fitted to the photo: across the side, at many places
//! along it, the changes of colour are found, and a line is fitted through the nearest ones
//! while ignoring outliers (print near the edge, glare, a shadow). Corners are where
//! neighbouring lines cross, so a corner outside the picture comes from the sides that are
//! in it. The share of places where a change lies on the line is the side's support; the
//! best supported candidate with a card's shape (large enough, convex, a plausible aspect
//! ratio) wins. A photo without a card gives `None`: no outline there has four supported
//! straight sides.

use image::{GrayImage, RgbImage};
use imageproc::contours::find_contours;
use imageproc::contrast::{ThresholdType, otsu_level, threshold};
use imageproc::distance_transform::Norm;
use imageproc::edges::canny;
use imageproc::filter::gaussian_blur_f32;
use imageproc::geometry::{approximate_polygon_dp, convex_hull};
use imageproc::morphology::dilate;
use imageproc::point::Point as PixelPoint;

use crate::capture::{Point, Quad};

/// The longer side of the copy the card is searched in.
const SEARCH_SIDE: u32 = 640;
/// The longer side of the copy the outlines of regions that may be the card are taken from.
const OUTLINE_SIDE: u32 = 320;
/// The longer side of the copy the found corners are refined on (the photo itself when smaller).
const REFINE_SIDE: u32 = 1600;
/// A card covers at least this share of the frame: smaller ones are too small to read anyway.
const MIN_AREA_SHARE: f32 = 0.08;
/// The longer over the shorter side of the found quadrilateral, at most: cards are 1:1 to
/// 2:1, and a tilt towards the camera stretches that.
const MAX_ASPECT: f32 = 2.6;
/// A side must show a change of colour on its line at this share of the places it is visible.
const MIN_SIDE_SUPPORT: f32 = 0.5;
/// And the four sides together, on average, at this share.
const MIN_MEAN_SUPPORT: f32 = 0.72;
/// The weakest change of colour across a card's edge that counts: the distance between the
/// colours one pixel before and one after the edge, in grey levels (root mean square over
/// red, green and blue).
const MIN_EDGE_STEP: f32 = 10.0;

/// The card's corners in `image` pixels, clockwise from its top-left; `None` when no
/// card-like quadrilateral is found.
pub fn find_card(image: &RgbImage) -> Option<Quad> {
    let (width, height) = image.dimensions();
    if width < 32 || height < 32 {
        return None;
    }
    let refine = shrink(image, REFINE_SIDE);
    let refine: &RgbImage = refine.as_ref().unwrap_or(image);
    let search = shrink(refine, SEARCH_SIDE);
    let search: &RgbImage = search.as_ref().unwrap_or(refine);
    // Outlines need no detail: find them on a copy half the size again, which is four times
    // quicker, and fit the sides on the search copy.
    let outline = shrink(search, OUTLINE_SIDE);
    let outline: &RgbImage = outline.as_ref().unwrap_or(search);
    if outline.width().min(outline.height()) < 16 {
        // A sliver of a picture, far longer than wide, holds no card.
        return None;
    }
    let to_search = (search.width() / outline.width()) as f32;

    let fitted: Vec<Fitted> = candidate_quads(outline, &image::imageops::grayscale(outline))
        .into_iter()
        .map(|candidate| candidate.scaled(to_search))
        .filter_map(|candidate| {
            let fitted = fit_quad(search, &candidate, 8.0)?;
            let fitted = fit_quad(search, &fitted.quad, 3.0)?;
            is_card_shaped(&fitted, search.width(), search.height()).then_some(fitted)
        })
        .collect();
    let best = choose_card(&fitted, search.width(), search.height())?;

    // Fit once more on the sharper copy, keeping the search's corners if that goes wrong.
    let to_refine = (refine.width() / search.width()) as f32;
    let coarse = best.quad.scaled(to_refine);
    let radius = (2.5 * to_refine).max(3.0);
    let quad = match fit_quad(refine, &coarse, radius) {
        Some(fine) if fine.quad.max_corner_distance(&coarse) <= 2.0 * to_refine + 2.0 => fine.quad,
        _ => coarse,
    };
    // Shrinking drops the last few rows and columns, so that the scale is the factor.
    let to_image = (width / refine.width()) as f32;
    Some(clockwise_from_top_left(&quad.scaled(to_image)))
}

/// A straight line: the points `p` with `normal · p = offset`, `normal` of length 1.
#[derive(Debug, Clone, Copy)]
struct Line {
    normal: [f32; 2],
    offset: f32,
}

/// A quadrilateral fitted to the photo, with how well each side is supported.
#[derive(Debug, Clone, Copy)]
struct Fitted {
    quad: Quad,
    /// Per side, the share of its visible length where a step lies on the line.
    support: [f32; 4],
    /// Per side, the share of its length that lies within the image.
    visible: [f32; 4],
}

/// A change of colour found across a side.
#[derive(Debug, Clone, Copy)]
struct Step {
    point: Point,
    /// How far out from the side, in pixels (negative: inwards).
    offset: f32,
    strength: f32,
    /// Whether it is darker outside than in; `None` when both sides are about as bright
    /// (say a green stripe on a grey desk).
    is_darker_outside: Option<bool>,
}

impl Fitted {
    /// Support weighted by how much of each side can be seen.
    fn score(&self) -> f32 {
        let total_visible: f32 = self.visible.iter().sum();
        if total_visible <= 0.0 {
            return 0.0;
        }
        self.support.iter().zip(&self.visible).map(|(support, visible)| support * visible).sum::<f32>() / total_visible
    }
}

impl Line {
    /// The line through `points` by total least squares, each point counted `weight` times.
    fn fit(points: &[(Point, f32)]) -> Option<Line> {
        let total: f32 = points.iter().map(|(_, weight)| weight).sum();
        if points.len() < 2 || total <= 0.0 {
            return None;
        }
        let mean_x = points.iter().map(|(point, weight)| point.x * weight).sum::<f32>() / total;
        let mean_y = points.iter().map(|(point, weight)| point.y * weight).sum::<f32>() / total;
        let (mut xx, mut xy, mut yy) = (0.0, 0.0, 0.0);
        for (point, weight) in points {
            let (dx, dy) = (point.x - mean_x, point.y - mean_y);
            xx += weight * dx * dx;
            xy += weight * dx * dy;
            yy += weight * dy * dy;
        }
        // The normal is the direction of least spread: the covariance's smaller eigenvector.
        let angle = 0.5 * (2.0 * xy).atan2(xx - yy);
        let normal = [-angle.sin(), angle.cos()];
        Some(Line { normal, offset: normal[0] * mean_x + normal[1] * mean_y })
    }

    fn through(from: Point, to: Point) -> Option<Line> {
        let length = from.distance(to);
        if length < 1e-3 {
            return None;
        }
        let normal = [-(to.y - from.y) / length, (to.x - from.x) / length];
        Some(Line { normal, offset: normal[0] * from.x + normal[1] * from.y })
    }

    fn distance(&self, point: Point) -> f32 {
        (self.normal[0] * point.x + self.normal[1] * point.y - self.offset).abs()
    }

    /// Where two lines cross; `None` when they are (nearly) parallel.
    fn intersection(&self, other: &Line) -> Option<Point> {
        let determinant = self.normal[0] * other.normal[1] - self.normal[1] * other.normal[0];
        if determinant.abs() < 1e-4 {
            return None;
        }
        let x = (self.offset * other.normal[1] - self.normal[1] * other.offset) / determinant;
        let y = (self.normal[0] * other.offset - self.offset * other.normal[0]) / determinant;
        Some(Point::new(x, y))
    }
}

/// `image` shrunk to at most `longest` pixels a side, each pixel the mean of a square of
/// whole pixels; `None` when it is that small already. A whole-pixel box is cruder than
/// `imageops::thumbnail` at the edges of the picture but several times faster, and the
/// corners are refined at a finer scale anyway.
fn shrink(image: &RgbImage, longest: u32) -> Option<RgbImage> {
    let (width, height) = image.dimensions();
    let factor = width.max(height).div_ceil(longest);
    if factor <= 1 {
        return None;
    }
    let (small_width, small_height) = (width / factor, height / factor);
    let mut sums = vec![0u32; small_width as usize * 3];
    let mut small = RgbImage::new(small_width, small_height);
    let row_length = width as usize * 3;
    let area = factor * factor;
    for (small_y, small_row) in small.rows_mut().enumerate() {
        sums.fill(0);
        for y in small_y as u32 * factor..(small_y as u32 + 1) * factor {
            let start = y as usize * row_length;
            let row = &image.as_raw()[start..start + row_length];
            for (small_x, sum) in sums.chunks_exact_mut(3).enumerate() {
                let from = small_x * factor as usize * 3;
                for pixel in row[from..from + factor as usize * 3].chunks_exact(3) {
                    sum[0] += u32::from(pixel[0]);
                    sum[1] += u32::from(pixel[1]);
                    sum[2] += u32::from(pixel[2]);
                }
            }
        }
        for (pixel, sum) in small_row.zip(sums.chunks_exact(3)) {
            pixel.0 = [0, 1, 2].map(|channel| ((sum[channel] + area / 2) / area) as u8);
        }
    }
    Some(small)
}

/// The card among the fitted candidates: the best supported, unless a larger candidate
/// nearly as well supported contains it and shares two of its sides. That is a card with a
/// coloured band or stripe along one side, the plain part of which was found first.
fn choose_card(fitted: &[Fitted], width: u32, height: u32) -> Option<Fitted> {
    let best = *fitted.iter().max_by(|a, b| a.score().total_cmp(&b.score()))?;
    let tolerance = 0.01 * (width as f32).hypot(height as f32);
    let shares_sides = |larger: &Quad| {
        (0..4)
            .filter(|&side| {
                let (from, to) = (best.quad.corners[side], best.quad.corners[(side + 1) % 4]);
                (0..4).any(|other| {
                    Line::through(larger.corners[other], larger.corners[(other + 1) % 4])
                        .is_some_and(|line| line.distance(from) <= tolerance && line.distance(to) <= tolerance)
                })
            })
            .count()
            >= 2
    };
    let enclosing = fitted
        .iter()
        .filter(|candidate| {
            candidate.score() >= best.score() - 0.12
                && candidate.quad.area().abs() > 1.01 * best.quad.area().abs()
                && shares_sides(&candidate.quad)
        })
        .max_by(|a, b| a.quad.area().abs().total_cmp(&b.quad.area().abs()));
    Some(*enclosing.unwrap_or(&best))
}

/// First guesses of the card's quadrilateral in `gray`, from the outlines of its edges and
/// of its light and dark regions.
fn candidate_quads(colour: &RgbImage, gray: &GrayImage) -> Vec<Quad> {
    let (width, height) = gray.dimensions();
    let min_area = MIN_AREA_SHARE * (width * height) as f32;
    let mut outlines: Vec<Vec<PixelPoint<i32>>> = Vec::new();

    let mut edges = canny(gray, 20.0, 60.0);
    // Colour edges: a coloured band along a card's side may be as bright as the desk.
    let colourfulness = GrayImage::from_fn(width, height, |x, y| {
        let [red, green, blue] = colour.get_pixel(x, y).0;
        image::Luma([red.max(green).max(blue) - red.min(green).min(blue)])
    });
    for (edge, colour_edge) in edges.iter_mut().zip(canny(&colourfulness, 20.0, 60.0).iter()) {
        *edge = (*edge).max(*colour_edge);
    }
    let edges = dilate(&edges, Norm::LInf, 1);
    outlines.extend(find_contours::<i32>(&edges).into_iter().map(|contour| contour.points));

    let blurred = gaussian_blur_f32(gray, 1.0);
    let level = otsu_level(&blurred);
    for threshold_type in [ThresholdType::Binary, ThresholdType::BinaryInverted] {
        let mask = threshold(&blurred, level, threshold_type);
        outlines.extend(find_contours::<i32>(&mask).into_iter().map(|contour| contour.points));
    }

    outlines
        .into_iter()
        .filter(|points| points.len() >= 16)
        .filter_map(|points| {
            let hull = convex_hull(points);
            let area = imageproc::geometry::contour_area(&hull) as f32;
            if area < min_area { None } else { quad_from_hull(&hull, width, height) }
        })
        .collect()
}

/// The quadrilateral made by the four longest sides of a simplified hull, leaving out sides
/// along the image border.
fn quad_from_hull(hull: &[PixelPoint<i32>], width: u32, height: u32) -> Option<Quad> {
    let perimeter = imageproc::geometry::arc_length(hull, true);
    // `approximate_polygon_dp` treats a closed curve as a path from its first point to its
    // last, which loses a corner; simplify the two halves between the first point and the
    // one farthest from it as paths instead.
    let epsilon = (0.01 * perimeter).max(2.0);
    let first = *hull.first()?;
    let distance_squared = |point: &PixelPoint<i32>| (point.x - first.x).pow(2) + (point.y - first.y).pow(2);
    let farthest = (0..hull.len()).max_by_key(|&index| distance_squared(&hull[index]))?;
    if farthest == 0 {
        return None;
    }
    let back: Vec<PixelPoint<i32>> = hull[farthest..].iter().chain([&first]).copied().collect();
    let mut polygon = approximate_polygon_dp(&hull[..=farthest], epsilon, false);
    polygon.pop();
    polygon.extend(approximate_polygon_dp(&back, epsilon, false));
    polygon.pop();
    if polygon.len() < 4 {
        return None;
    }
    let as_point = |point: &PixelPoint<i32>| Point::new(point.x as f32 + 0.5, point.y as f32 + 0.5);
    let on_border = |a: &PixelPoint<i32>, b: &PixelPoint<i32>| {
        const MARGIN: i32 = 3;
        let (right, bottom) = (width as i32 - 1 - MARGIN, height as i32 - 1 - MARGIN);
        (a.x <= MARGIN && b.x <= MARGIN)
            || (a.y <= MARGIN && b.y <= MARGIN)
            || (a.x >= right && b.x >= right)
            || (a.y >= bottom && b.y >= bottom)
    };
    // Sides in order round the hull, each nearly straight run of sides merged into one.
    let mut sides: Vec<(Point, Point)> = Vec::new();
    for index in 0..polygon.len() {
        let (a, b) = (&polygon[index], &polygon[(index + 1) % polygon.len()]);
        if on_border(a, b) {
            continue;
        }
        let (from, to) = (as_point(a), as_point(b));
        if let Some(last) = sides.last_mut()
            && last.1 == from
            && turn_degrees(*last, (from, to)) < 12.0
        {
            last.1 = to;
            continue;
        }
        sides.push((from, to));
    }
    if sides.len() >= 2 {
        let (first, last) = (sides[0], sides[sides.len() - 1]);
        if last.1 == first.0 && turn_degrees(last, first) < 12.0 {
            sides[0].0 = last.0;
            sides.pop();
        }
    }
    if sides.len() < 4 {
        return None;
    }
    // The four longest, kept in their order round the hull.
    let mut by_length: Vec<usize> = (0..sides.len()).collect();
    by_length.sort_by(|&a, &b| {
        let length = |index: usize| sides[index].0.distance(sides[index].1);
        length(b).total_cmp(&length(a))
    });
    let mut chosen = by_length[..4].to_vec();
    chosen.sort_unstable();
    let lines: Vec<Line> =
        chosen.iter().map(|&index| Line::through(sides[index].0, sides[index].1)).collect::<Option<_>>()?;
    let corners = [
        lines[3].intersection(&lines[0])?,
        lines[0].intersection(&lines[1])?,
        lines[1].intersection(&lines[2])?,
        lines[2].intersection(&lines[3])?,
    ];
    let quad = Quad::new(corners);
    quad.is_proper().then_some(quad)
}

/// The angle between the directions of two segments, 0 to 180 degrees.
fn turn_degrees(first: (Point, Point), second: (Point, Point)) -> f32 {
    let angle = |(from, to): (Point, Point)| (to.y - from.y).atan2(to.x - from.x);
    let difference = (angle(second) - angle(first)).to_degrees().rem_euclid(360.0);
    difference.min(360.0 - difference)
}

/// Fits each side of `quad` to the changes of colour in `image` within `radius` pixels of it,
/// and intersects the fitted lines into new corners.
fn fit_quad(image: &RgbImage, quad: &Quad, radius: f32) -> Option<Fitted> {
    if !quad.is_proper() {
        return None;
    }
    let corners = &quad.corners;
    let center = Point::new(
        corners.iter().map(|corner| corner.x).sum::<f32>() / 4.0,
        corners.iter().map(|corner| corner.y).sum::<f32>() / 4.0,
    );
    let mut lines = [Line { normal: [0.0, 0.0], offset: 0.0 }; 4];
    let mut support = [0.0; 4];
    let mut visible = [0.0; 4];
    for side in 0..4 {
        let fitted = fit_side(image, corners[side], corners[(side + 1) % 4], center, radius)?;
        (lines[side], support[side], visible[side]) = fitted;
    }
    let corners = [
        lines[3].intersection(&lines[0])?,
        lines[0].intersection(&lines[1])?,
        lines[1].intersection(&lines[2])?,
        lines[2].intersection(&lines[3])?,
    ];
    let quad = Quad::new(corners);
    quad.is_proper().then_some(Fitted { quad, support, visible })
}

/// The line of the side from `from` to `to`, fitted to the changes of colour across it (the
/// strongest for their distance first, then the nearest to the line); with the share of
/// visible places that support it, and the share of the side that is visible.
fn fit_side(image: &RgbImage, from: Point, to: Point, center: Point, radius: f32) -> Option<(Line, f32, f32)> {
    let length = from.distance(to);
    if length < 8.0 {
        return None;
    }
    let direction = [(to.x - from.x) / length, (to.y - from.y) / length];
    let mut normal = [-direction[1], direction[0]];
    let middle = Point::new((from.x + to.x) / 2.0, (from.y + to.y) / 2.0);
    if normal[0] * (middle.x - center.x) + normal[1] * (middle.y - center.y) < 0.0 {
        normal = [-normal[0], -normal[1]];
    }
    let (width, height) = (image.width() as f32, image.height() as f32);
    let n_places = ((length / 3.0) as usize).clamp(12, 240);
    let reach = radius.ceil() as i32;
    let mut n_visible = 0;
    // Per place, the steps found across the side: where, how strong, and which way (light
    // to dark going outwards or the reverse).
    let mut steps_at: Vec<Vec<Step>> = Vec::with_capacity(n_places);
    for place in 0..n_places {
        // Leave out the ends, where the neighbouring sides and rounded corners are.
        let t = 0.06 + 0.88 * place as f32 / (n_places - 1) as f32;
        let base = Point::new(from.x + t * (to.x - from.x), from.y + t * (to.y - from.y));
        if base.x < 2.0 || base.y < 2.0 || base.x > width - 2.0 || base.y > height - 2.0 {
            continue;
        }
        n_visible += 1;
        let profile: Vec<[f32; 3]> = (-reach - 1..=reach + 1)
            .map(|step| {
                let along = |shift: f32| {
                    let x = base.x + normal[0] * step as f32 + direction[0] * shift;
                    let y = base.y + normal[1] * step as f32 + direction[1] * shift;
                    sample(image, x, y)
                };
                let (a, b, c) = (along(-1.0), along(0.0), along(1.0));
                [0, 1, 2].map(|channel| (a[channel] + b[channel] + c[channel]) / 3.0)
            })
            .collect();
        // differences[i] is the change across step i - reach, from one step before to one after.
        let changes: Vec<(f32, f32)> =
            (1..profile.len() - 1).map(|index| colour_change(profile[index - 1], profile[index + 1])).collect();
        let differences: Vec<f32> = changes.iter().map(|(size, _)| *size).collect();
        let strongest = differences.iter().fold(0.0f32, |strongest, difference| strongest.max(difference.abs()));
        let floor = MIN_EDGE_STEP.max(0.1 * strongest);
        let mut steps = Vec::new();
        for index in 0..differences.len() {
            let at = differences[index].abs();
            let before = if index > 0 { differences[index - 1].abs() } else { 0.0 };
            let after = differences.get(index + 1).map_or(0.0, |difference| difference.abs());
            if at < floor || at < before || at <= after {
                continue;
            }
            // The peak's fraction of a pixel, from a parabola through it and its neighbours.
            let curvature = before - 2.0 * at + after;
            let fraction = if curvature < 0.0 { (0.5 * (before - after) / curvature).clamp(-0.5, 0.5) } else { 0.0 };
            let offset = index as f32 - reach as f32 + fraction;
            steps.push(Step {
                point: Point::new(base.x + normal[0] * offset, base.y + normal[1] * offset),
                offset,
                strength: at,
                is_darker_outside: {
                    let brightness = changes[index].1;
                    (brightness.abs() >= 0.3 * at).then_some(brightness < 0.0)
                },
            });
        }
        steps_at.push(steps);
    }
    if n_visible < 4 {
        return None;
    }

    // First the strongest steps for their distance from the side, then, around the line
    // through them, the nearest.
    let first: Vec<Step> = steps_at
        .iter()
        .filter_map(|steps| {
            // Near steps win over stronger ones a few pixels away: the outline is close to
            // the card's edge, and a stripe along the edge may be much stronger than it.
            let closeness = |step: &Step| step.strength / (1.0 + (step.offset / 2.5).powi(2));
            steps.iter().copied().max_by(|a, b| closeness(a).total_cmp(&closeness(b)))
        })
        .collect();
    let count = |darker: bool| first.iter().filter(|step| step.is_darker_outside == Some(darker)).count();
    let is_darker_outside = count(true) >= count(false);
    let is_matching = |step: &&Step| step.is_darker_outside.is_none_or(|darker| darker == is_darker_outside);
    let weighted = |steps: &[Step]| -> Vec<(Point, f32)> {
        steps.iter().filter(is_matching).map(|step| (step.point, step.strength)).collect()
    };
    let mut line = Line::fit(&weighted(&first))?;
    let mut chosen = Vec::new();
    for tolerance in [3.0, 2.0, 1.5, 1.5] {
        chosen = steps_at
            .iter()
            .filter_map(|steps| {
                steps
                    .iter()
                    .filter(is_matching)
                    .map(|step| (line.distance(step.point), step))
                    .filter(|(distance, _)| *distance <= tolerance)
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, step)| *step)
            })
            .collect();
        line = Line::fit(&weighted(&chosen))?;
    }
    let n_supporting = chosen.iter().filter(|step| line.distance(step.point) <= 1.5).count();
    Some((line, n_supporting as f32 / n_visible as f32, n_visible as f32 / n_places as f32))
}

/// The change from colour `before` to colour `after`: its size, the distance between them
/// (so that a red stripe on a brown desk counts as much as a light card on a dark one), and
/// the change in brightness.
fn colour_change(before: [f32; 3], after: [f32; 3]) -> (f32, f32) {
    let difference = [0, 1, 2].map(|channel| after[channel] - before[channel]);
    let size = (difference.iter().map(|value| value * value).sum::<f32>() / 3.0).sqrt();
    (size, 0.299 * difference[0] + 0.587 * difference[1] + 0.114 * difference[2])
}

/// The colour at `(x, y)` in continuous coordinates (pixel `(i, j)` covers `i..i+1`),
/// interpolated bilinearly, the border extended outwards.
fn sample(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (width, height) = image.dimensions();
    let x = (x - 0.5).clamp(0.0, (width - 1) as f32);
    let y = (y - 0.5).clamp(0.0, (height - 1) as f32);
    let (left, top) = (x.floor() as u32, y.floor() as u32);
    let (right, bottom) = ((left + 1).min(width - 1), (top + 1).min(height - 1));
    let (fx, fy) = (x - left as f32, y - top as f32);
    let at = |x: u32, y: u32, channel: usize| image.get_pixel(x, y)[channel] as f32;
    [0, 1, 2].map(|channel| {
        let upper = at(left, top, channel) * (1.0 - fx) + at(right, top, channel) * fx;
        let lower = at(left, bottom, channel) * (1.0 - fx) + at(right, bottom, channel) * fx;
        upper * (1.0 - fy) + lower * fy
    })
}

/// True when the fitted quadrilateral can be a card seen by a camera: large enough, convex,
/// not too elongated, its corners not far outside the image, and its sides supported.
fn is_card_shaped(fitted: &Fitted, width: u32, height: u32) -> bool {
    let quad = &fitted.quad;
    let (w, h) = (width as f32, height as f32);
    if !quad.is_proper() || quad.area().abs() < MIN_AREA_SHARE * w * h {
        return false;
    }
    let is_near_image =
        |corner: &Point| corner.x > -0.25 * w && corner.y > -0.25 * h && corner.x < 1.25 * w && corner.y < 1.25 * h;
    if !quad.corners.iter().all(is_near_image) {
        return false;
    }
    let (across, down) = quad.mean_sides();
    if across.max(down) > MAX_ASPECT * across.min(down) {
        return false;
    }
    // Opposite sides differ by perspective only so much.
    let c = &quad.corners;
    let side = |index: usize| c[index].distance(c[(index + 1) % 4]);
    if side(0).max(side(2)) > 2.0 * side(0).min(side(2)) || side(1).max(side(3)) > 2.0 * side(1).min(side(3)) {
        return false;
    }
    // Three sides at least must be seen, and every side seen must be supported.
    let n_seen = fitted.visible.iter().filter(|&&visible| visible >= 0.25).count();
    n_seen >= 3
        && fitted
            .support
            .iter()
            .zip(&fitted.visible)
            .all(|(&support, &visible)| visible < 0.25 || support >= MIN_SIDE_SUPPORT)
        && fitted.score() >= MIN_MEAN_SUPPORT
}

/// The corners in clockwise order on screen, starting with the one nearest the image's
/// top-left (smallest x + y).
fn clockwise_from_top_left(quad: &Quad) -> Quad {
    let mut corners = quad.corners;
    if quad.area() < 0.0 {
        corners.reverse();
    }
    let first =
        (0..4).min_by(|&a, &b| (corners[a].x + corners[a].y).total_cmp(&(corners[b].x + corners[b].y))).unwrap_or(0);
    corners.rotate_left(first);
    Quad::new(corners)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;
    use imageproc::geometric_transformations::Projection;

    /// How a fixture's card looks, in card coordinates of 0..1 across and down.
    type Paint = fn(f32, f32) -> Rgb<u8>;

    /// A white card with rows of dark print.
    fn light_card(u: f32, v: f32) -> Rgb<u8> {
        let is_print = (0.1..0.9).contains(&u) && (0.15..0.85).contains(&v) && ((v * 24.0) as u32).is_multiple_of(3);
        let is_gap = ((u * 40.0) as u32).is_multiple_of(7);
        if is_print && !is_gap { Rgb([30, 30, 40]) } else { Rgb([236, 234, 228]) }
    }

    /// A dark blue card with light print.
    fn dark_card(u: f32, v: f32) -> Rgb<u8> {
        let is_print = (0.1..0.7).contains(&u) && (0.5..0.8).contains(&v) && ((v * 30.0) as u32).is_multiple_of(3);
        if is_print { Rgb([220, 220, 220]) } else { Rgb([20, 30, 70]) }
    }

    /// A white card whose top quarter is a green band about as bright as the grey desk.
    fn banded_card(u: f32, v: f32) -> Rgb<u8> {
        if v < 0.25 { Rgb([40, 150, 100]) } else { light_card(u, v) }
    }

    /// A desk: a lit wood-like texture with grain, a gradient and sensor noise.
    fn wood(x: u32, y: u32, noise: i32) -> Rgb<u8> {
        let grain = ((x as f32 * 0.05 + (y as f32 * 0.013).sin() * 6.0).sin() * 14.0) as i32;
        let light = (x + y) as i32 / 40;
        let value = |base: i32| (base + grain + light + noise).clamp(0, 255) as u8;
        Rgb([value(120), value(85), value(55)])
    }

    /// A light grey desk.
    fn light_desk(x: u32, y: u32, noise: i32) -> Rgb<u8> {
        let value = (190 + (x as i32 - y as i32) / 60 + noise).clamp(0, 255) as u8;
        Rgb([value, value, value.saturating_sub(6)])
    }

    /// A `width` x `height` photo of a card painted by `paint` with its corners at `corners`
    /// (clockwise from the card's top-left) on the desk `desk`, with noise.
    fn photo(
        width: u32,
        height: u32,
        corners: [(f32, f32); 4],
        paint: Paint,
        desk: fn(u32, u32, i32) -> Rgb<u8>,
    ) -> (RgbImage, Quad) {
        let to_card = Projection::from_control_points(corners, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)])
            .expect("the fixture's corners make a quadrilateral");
        let mut seed = 0x9e37_79b9_u32;
        let image = RgbImage::from_fn(width, height, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 13) as i32 - 6;
            let (u, v) = to_card * (x as f32 + 0.5, y as f32 + 0.5);
            if (0.0..1.0).contains(&u) && (0.0..1.0).contains(&v) {
                let Rgb(colour) = paint(u, v);
                Rgb(colour.map(|channel| (channel as i32 + noise).clamp(0, 255) as u8))
            } else {
                desk(x, y, noise)
            }
        });
        (image, Quad::new(corners.map(|(x, y)| Point::new(x, y))))
    }

    fn assert_corners_near(found: Option<Quad>, truth: &Quad, tolerance: f32) {
        let found = found.expect("a card is found");
        let error = found.max_corner_distance(truth);
        assert!(
            error <= tolerance,
            "off by {error:.1} px: found {:?}, true {:?}",
            found.to_arrays(),
            truth.to_arrays()
        );
    }

    #[test]
    fn a_tilted_light_card_on_wood_is_found_to_a_few_pixels() {
        let corners = [(250.0, 140.0), (1010.0, 190.0), (960.0, 610.0), (210.0, 540.0)];
        let (image, truth) = photo(1280, 720, corners, light_card, wood);
        assert_corners_near(find_card(&image), &truth, 3.0);
    }

    #[test]
    fn corners_start_at_the_top_left_and_run_clockwise() {
        // The same card turned the other way: its painted top-left is at the bottom right.
        let corners = [(960.0, 610.0), (210.0, 540.0), (250.0, 140.0), (1010.0, 190.0)];
        let (image, _) = photo(1280, 720, corners, light_card, wood);
        let found = find_card(&image).expect("a card is found");
        assert!(found.area() > 0.0, "clockwise on screen");
        assert!(found.corners[0].distance(Point::new(250.0, 140.0)) < 3.0, "{:?}", found.to_arrays());
        assert!(found.corners[1].distance(Point::new(1010.0, 190.0)) < 3.0, "{:?}", found.to_arrays());
    }

    #[test]
    fn a_dark_card_on_a_light_desk_is_found() {
        let corners = [(330.0, 170.0), (950.0, 120.0), (990.0, 500.0), (360.0, 560.0)];
        let (image, truth) = photo(1280, 720, corners, dark_card, light_desk);
        assert_corners_near(find_card(&image), &truth, 3.0);
    }

    #[test]
    fn a_coloured_band_as_bright_as_the_desk_belongs_to_the_card() {
        let corners = [(200.0, 120.0), (1060.0, 80.0), (1090.0, 600.0), (180.0, 620.0)];
        let desk = |x: u32, _: u32, noise: i32| {
            let value = (130 + noise + (x / 200) as i32).clamp(0, 255) as u8;
            Rgb([value, value - 5, value - 10])
        };
        let (image, truth) = photo(1280, 720, corners, banded_card, desk);
        assert_corners_near(find_card(&image), &truth, 3.0);
    }

    #[test]
    fn a_card_partly_outside_the_picture_gets_its_hidden_corner_from_its_sides() {
        let corners = [(180.0, -40.0), (1100.0, 60.0), (1040.0, 650.0), (120.0, 560.0)];
        let (image, truth) = photo(1280, 720, corners, light_card, wood);
        assert_corners_near(find_card(&image), &truth, 4.0);
    }

    #[test]
    fn a_desk_without_a_card_gives_none() {
        let (empty_desk, _) = photo(1280, 720, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)], light_card, wood);
        assert_eq!(find_card(&empty_desk), None);
        assert_eq!(find_card(&RgbImage::from_pixel(1280, 720, Rgb([128, 128, 128]))), None);
        assert_eq!(find_card(&RgbImage::new(1, 1)), None);
        assert_eq!(find_card(&RgbImage::new(7000, 40)), None);
    }

    #[test]
    fn a_small_card_far_away_gives_none() {
        let corners = [(600.0, 330.0), (700.0, 330.0), (700.0, 390.0), (600.0, 390.0)];
        let (image, _) = photo(1280, 720, corners, light_card, wood);
        assert_eq!(find_card(&image), None);
    }

    #[test]
    fn a_forty_megapixel_photo_is_searched_on_a_small_copy() {
        // Rendered at a quarter of the size and enlarged, to keep the test quick.
        let corners = [(400.0, 300.0), (1450.0, 380.0), (1380.0, 1080.0), (330.0, 990.0)];
        let (small, _) = photo(1825, 1375, corners, light_card, wood);
        let image = image::imageops::resize(&small, 7300, 5500, image::imageops::FilterType::Nearest);
        let truth = Quad::new(corners.map(|(x, y)| Point::new(x * 4.0, y * 4.0)));
        // 0.2% of the diagonal.
        assert_corners_near(find_card(&image), &truth, 18.0);
    }
}
