//! Positions in a frame: points, and the four corners of a card.

use serde::Serialize;

/// A position in the frame, in pixels of the full frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// A card's four corners in image pixels, clockwise from the card's top-left as it reads.
/// A corner may lie slightly outside the image when the card does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quad {
    pub corners: [Point; 4],
}

impl Point {
    pub fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    pub fn distance(self, other: Point) -> f32 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}

impl Quad {
    pub fn new(corners: [Point; 4]) -> Quad {
        Quad { corners }
    }

    /// The whole of a `width` x `height` image, for flat scans.
    pub fn full(width: u32, height: u32) -> Quad {
        let (w, h) = (width as f32, height as f32);
        Quad::new([Point::new(0.0, 0.0), Point::new(w, 0.0), Point::new(w, h), Point::new(0.0, h)])
    }

    /// Parses `x1,y1,x2,y2,x3,y3,x4,y4` (the CLI's `--corners`).
    pub fn parse(text: &str) -> Result<Quad, String> {
        let numbers: Vec<f32> = text
            .split(',')
            .map(|part| part.trim().parse::<f32>().map_err(|_| format!("{:?} is not a number", part.trim())))
            .collect::<Result<_, _>>()?;
        if numbers.len() != 8 || numbers.iter().any(|number| !number.is_finite()) {
            return Err("give eight numbers: x1,y1,x2,y2,x3,y3,x4,y4 (clockwise from the top-left)".to_string());
        }
        let point = |index: usize| Point::new(numbers[index * 2], numbers[index * 2 + 1]);
        Ok(Quad::new([point(0), point(1), point(2), point(3)]))
    }

    /// The same corners scaled by `factor` (between a downscaled copy and the full frame).
    pub fn scaled(&self, factor: f32) -> Quad {
        Quad::new(self.corners.map(|corner| Point::new(corner.x * factor, corner.y * factor)))
    }

    /// The largest distance between a corner and the other quad's corresponding corner.
    pub fn max_corner_distance(&self, other: &Quad) -> f32 {
        self.corners.iter().zip(&other.corners).map(|(a, b)| a.distance(*b)).fold(0.0, f32::max)
    }

    /// The area by the shoelace formula; positive when the corners run clockwise on screen.
    pub fn area(&self) -> f32 {
        let c = &self.corners;
        (0..4).map(|i| c[i].x * c[(i + 1) % 4].y - c[(i + 1) % 4].x * c[i].y).sum::<f32>() / 2.0
    }

    /// True for a convex quadrilateral with its corners in order (either way round) and an
    /// area of at least a few pixels: a shape a card can have in a photo.
    pub fn is_proper(&self) -> bool {
        let c = &self.corners;
        if c.iter().any(|corner| !corner.x.is_finite() || !corner.y.is_finite()) || self.area().abs() < 16.0 {
            return false;
        }
        let turns: Vec<f32> = (0..4)
            .map(|i| {
                let (a, b, d) = (c[i], c[(i + 1) % 4], c[(i + 2) % 4]);
                (b.x - a.x) * (d.y - b.y) - (b.y - a.y) * (d.x - b.x)
            })
            .collect();
        turns.iter().all(|&turn| turn > 0.0) || turns.iter().all(|&turn| turn < 0.0)
    }

    /// The mean lengths of the top/bottom and left/right edges.
    pub fn mean_sides(&self) -> (f32, f32) {
        let c = &self.corners;
        let width = (c[0].distance(c[1]) + c[3].distance(c[2])) / 2.0;
        let height = (c[0].distance(c[3]) + c[1].distance(c[2])) / 2.0;
        (width, height)
    }

    /// The eight numbers of `parse`, rounded to tenths of a pixel.
    pub fn to_arrays(&self) -> [[f32; 2]; 4] {
        self.corners.map(|corner| [(corner.x * 10.0).round() / 10.0, (corner.y * 10.0).round() / 10.0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_parse_from_eight_numbers() {
        let quad = Quad::parse("10,20, 110,20,110,80,10,80").unwrap();
        assert_eq!(quad.corners[2], Point::new(110.0, 80.0));
        assert_eq!(quad.mean_sides(), (100.0, 60.0));
        assert_eq!(quad.area(), 6000.0);
        assert!(Quad::parse("1,2,3").is_err());
        assert!(Quad::parse("1,2,3,4,5,6,7,x").unwrap_err().contains("\"x\""));
        assert!(Quad::parse("1,2,3,4,5,6,7,NaN").is_err());
        assert!(quad.is_proper());
        let crossed = Quad::parse("10,20,110,80,110,20,10,80").unwrap();
        assert!(!crossed.is_proper());
        let flat = Quad::parse("0,0,50,0,100,0,20,0").unwrap();
        assert!(!flat.is_proper());
    }
}
