# The count bound of test/bench/placement_oracle.sql (run by
# test/bench/placement_backtest.sh with ORACLE=1):
#   Rscript test/bench/placement_bound.R counts.csv params.csv out.csv sums.csv [grid step]
# For each municipality and category, and each as_of (end of April and of
# August 2019-2024): the posterior mean, given the arrival counts a day up to
# as_of, of the generator's expected arrivals on each day after as_of up to
# 31 December, computed by a forecaster who knows every parameter of the
# generator of test/bench/placement_backtest_setup.sql but not the path of
# its random walk: the log level has knots on 1 July of each year, starts at
# size + drift on 1 July 1999 (sd 0.10) and moves a year by drift + a normal
# step of sd 0.10, linear between the knots; the arrivals a day are Poisson
# with mean inflow × exp(level) × season(day).  The posterior mean of λ(d) is
# the MSE-optimal forecast of λ(d) (and of their sum) from the counts.
#
# Method: an exact filter on a grid of the level (step h, default 0.005) —
# the pairs (knot, next knot) are the grid × the steps within drift ± 6 sd.
# The counts of one knot interval enter through three sums, because their
# log likelihood is linear in the two knots except for the expected count:
#   log p(counts | L0, L0 + δ) = L0 N + δ F - exp(L0) g(δ) + const,
# N = Σ n_d, F = Σ n_d f_d, g(δ) = inflow Σ s_d exp(δ f_d) (f_d the day's
# fraction of the interval, s_d its season).  Only days from 2000-01-01
# (the data's first) are observed.
#
# counts.csv: muni, k, day, n (days with arrivals; the rest are 0), up to the
# last as_of.  params.csv: muni, k, inflow, size, drift.  out.csv: muni, k,
# as_of, day, lambda.  sums.csv: muni, k, as_of, n_mean, n_sd: the posterior
# mean and sd of the expected arrivals after as_of, N = Σ λ(d) (the
# bound's own calibration: N's truth should lie within n_mean ± 1.96 n_sd
# 95 % of the time, up to the normal approximation).
#
# BOUND_DRIFT=estimated: the drift is not given but estimated from the
# counts of 2000-2018 (before the first as_of), the slope of the log yearly
# counts of the category; BOUND_DRIFT=pooled: the same pooled over the
# municipality's three categories (which share it in the generator).  How
# much of the bound's lead is its knowing the drift.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 4) stop("usage: placement_bound.R counts.csv params.csv out.csv sums.csv [grid step]")
h <- if (length(args) >= 5) as.numeric(args[5]) else 0.005
sd_step <- 0.10                 # the walk's yearly step (as the generator)
q <- sd_step^2
first_obs <- as.Date("2000-01-01")

counts <- read.csv(args[1], colClasses = c("integer", "integer", "Date", "integer"))
params <- read.csv(args[2])

# the days of the knot intervals 1 July ky .. 30 June ky + 1, ky = 1999..2024
ky_all <- 1999:2024
days <- seq(as.Date("1999-07-01"), as.Date("2025-06-30"), by = "day")
yr <- as.integer(format(days, "%Y"))
ky_d <- yr - (days < as.Date(sprintf("%d-07-01", yr)))
k0 <- as.Date(sprintf("%d-07-01", ky_d))
k1 <- as.Date(sprintf("%d-07-01", ky_d + 1))
frac <- as.numeric(days - k0) / as.numeric(k1 - k0)
season <- 1 + 0.2 * cos(2 * pi * (as.POSIXlt(days)$yday + 1 - 280) / 365.25)

as_ofs <- sort(c(as.Date(sprintf("%d-04-30", 2019:2024)), as.Date(sprintf("%d-08-31", 2019:2024))))

how <- Sys.getenv("BOUND_DRIFT", "given")
if (!how %in% c("given", "estimated", "pooled")) stop("BOUND_DRIFT must be given, estimated or pooled")
yc <- aggregate(n ~ muni + k + y, data = transform(counts, y = as.integer(format(day, "%Y"))), FUN = sum)
yc <- yc[yc$y <= 2018, ]
drift_of <- function(p) {
  if (how == "given") return(p$drift)
  if (how == "pooled")
    return(unname(coef(lm(log(n) ~ y + factor(k), data = yc[yc$muni == p$muni, ]))["y"]))
  unname(coef(lm(log(n) ~ y, data = yc[yc$muni == p$muni & yc$k == p$k, ]))["y"])
}

out <- list(); sums <- list()
for (r in seq_len(nrow(params))) {
  p <- params[r, ]
  drift <- drift_of(p)
  # the grid: the prior mean path ± 2.5 (5 sd of the walk's 26 steps)
  mpath <- p$size + (ky_all - 1998) * drift
  L <- seq(min(mpath) - 2.5, max(mpath) + 2.5, by = h)
  G <- length(L)
  eL <- exp(L)
  B <- ceiling(6 * sd_step / h)
  shift <- round(drift / h) + (-B:B)     # grid steps from one knot to the next
  dl <- shift * h
  logT <- -(dl - drift)^2 / (2 * q)
  D <- length(shift)

  cs <- counts[counts$muni == p$muni & counts$k == p$k, ]
  n <- numeric(length(days))
  n[match(cs$day, days)] <- cs$n

  # the joint log posterior of (knot, next knot) over one interval, the days in obs
  pair <- function(loga, obs) {
    N <- sum(n[obs]); Fs <- sum(n[obs] * frac[obs])
    g <- if (any(obs)) p$inflow * as.vector(exp(outer(dl, frac[obs])) %*% season[obs]) else numeric(D)
    M <- -outer(eL, g)
    M <- M + (loga + L * N)
    M + rep(logT + dl * Fs, each = G)
  }
  # the prior of the 1999 knot: size + drift, sd 0.10
  loga <- -(L - (p$size + drift))^2 / (2 * q)
  pending <- as_ofs
  for (ky in ky_all) {
    inseg <- ky_d == ky
    while (length(pending) > 0 && pending[1] < as.Date(sprintf("%d-07-01", ky + 1))) {
      a <- pending[1]; pending <- pending[-1]
      M <- pair(loga, inseg & days >= first_obs & days <= a)
      P <- exp(M - max(M)); P <- P / sum(P)
      H <- colSums(P * eL)                # Σ_i P(i, δ) exp(L_i), by δ
      rest <- days > a & days <= as.Date(sprintf("%s-12-31", format(a, "%Y")))
      here <- rest & inseg
      lam <- numeric(sum(rest))
      lam[here[rest]] <- p$inflow * season[here] * as.vector(exp(outer(frac[here], dl)) %*% H)
      # N's first two moments: N = A(L0, δ) (before the next knot) + the rest
      A <- p$inflow * outer(eL, as.vector(exp(outer(dl, frac[here])) %*% season[here]))
      n1 <- sum(P * A); n2 <- sum(P * A^2)
      nxt <- rest & ky_d == ky + 1          # after the next knot: its walk step unknown too
      if (any(nxt)) {
        e1 <- sum(H * exp(dl))              # E exp(next knot)
        m <- season[nxt] * exp(frac[nxt] * drift + frac[nxt]^2 * q / 2)
        lam[nxt[rest]] <- p$inflow * e1 * m
        # the rest is inflow exp(L1) Σ s_d exp(f_d X), X the next step ~ N(drift, q)
        ff <- outer(frac[nxt], frac[nxt], "+")
        c2 <- sum(outer(season[nxt], season[nxt]) * exp(ff * drift + ff^2 * q / 2))
        E1 <- outer(eL, exp(dl))
        n1 <- n1 + p$inflow * sum(m) * sum(P * E1)
        n2 <- n2 + 2 * p$inflow * sum(m) * sum(P * A * E1) + p$inflow^2 * c2 * sum(P * E1^2)
      }
      stopifnot(abs(n1 - sum(lam)) <= 1e-9 * n1)
      sums[[length(sums) + 1]] <- data.frame(muni = p$muni, k = p$k, as_of = a, n_mean = n1, n_sd = sqrt(max(0, n2 - n1^2)))
      out[[length(out) + 1]] <- data.frame(muni = p$muni, k = p$k, as_of = a, day = days[rest], lambda = lam)
    }
    if (length(pending) == 0) break
    # the whole interval observed: on to the next knot
    M <- pair(loga, inseg & days >= first_obs)
    E <- exp(M - max(M))
    nx <- numeric(G)
    for (c in seq_len(D)) {
      j <- seq_len(G) + shift[c]
      ok <- j >= 1 & j <= G
      nx[j[ok]] <- nx[j[ok]] + E[ok, c]
    }
    loga <- log(nx / sum(nx))
  }
}
write.csv(do.call(rbind, out), args[3], row.names = FALSE)
write.csv(do.call(rbind, sums), args[4], row.names = FALSE)
