/**
 * Normal and gamma special functions for the fitter and the generator (erfc and Φ come from
 * harness/stats/normal-cdf.ts). Written out, with no dependency, so they give the same bits
 * everywhere; accuracy is near double precision (the tests check closed forms such as
 * erf(x) = P(1/2, x²) and Γ(1/2) = √π).
 */
import { erfc, normalCdf, normalSurvival } from '../../stats/normal-cdf.js';

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * √π·e^{x²}·erfc(x) by its continued fraction 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (modified
 * Lentz), for x ≥ 2.5: the scaled form keeps log erfc finite where erfc itself underflows.
 */
function erfcScaledContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** Below this erfc itself is far from underflow. */
const SCALED_FORM_FROM = 2.5;

export { erfc, normalCdf };

export function erf(x: number): number {
  return x < 0 ? -erf(-x) : 1 - erfc(x);
}

/** 1 − Φ(z), without cancellation for large z. */
export const normalSf = normalSurvival;

/** log erfc(x), finite far into the tail where erfc itself underflows. */
export function logErfc(x: number): number {
  if (x <= SCALED_FORM_FROM) return Math.log(erfc(x));
  return -x * x - Math.log(SQRT_PI) + Math.log(erfcScaledContinuedFraction(x));
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** log(1 − Φ(z)), finite for any z. */
export function logNormalSf(z: number): number {
  return Math.log(0.5) + logErfc(z / SQRT_2);
}

/** log Φ(z), finite for any z. */
export function logNormalCdf(z: number): number {
  return logNormalSf(-z);
}

/**
 * Φ⁻¹(p): a rational starting point (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4) polished by
 * Halley steps on the exact CDF. The step works on the smaller tail, so p near 1 keeps precision
 * when given as `upperTail = true` with p = 1 − Φ(z).
 */
export function normalQuantile(p: number, upperTail = false): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  const lowerP = upperTail ? 1 - p : p;
  if (p === 0) return upperTail ? Infinity : -Infinity;
  if (p === 1) return upperTail ? -Infinity : Infinity;
  // Work with the tail probability q ≤ 1/2 and the sign of z.
  let q: number;
  let sign: number;
  if (upperTail) {
    if (p <= 0.5) { q = p; sign = 1; } else { q = 1 - p; sign = -1; }
  } else if (lowerP <= 0.5) { q = lowerP; sign = -1; } else { q = 1 - lowerP; sign = 1; }
  const t = Math.sqrt(-2 * Math.log(q));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  // z is now the upper-tail quantile of q (z ≥ 0 roughly); refine on normalSf(z) = q.
  for (let i = 0; i < 4; i++) {
    const error = normalSf(z) - q;
    const density = normalPdf(z);
    if (density === 0) break;
    const u = error / density; // Newton step for sf (sf' = −pdf, so z moves up while sf(z) > q)
    const step = u / (1 - 0.5 * z * u); // Halley correction (sf'' = z·pdf)
    z += step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return sign * z;
}

// ---------------------------------------------------------------------------------------------
// Gamma
// ---------------------------------------------------------------------------------------------

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0]!;
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEFFICIENTS[i]! / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series: γ(a,x) = e^{-x} x^a Σ xⁿ / (a (a+1) … (a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return Math.min(1, sum * Math.exp(logPrefactor));
  }
  // Continued fraction for Q(a,x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefactor) * h);
}
