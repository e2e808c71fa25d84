// The rules that differ between model families (private to src/core; overview in
// model_family.hpp): which segment a person is scored in and which person-level variables are 1.
// Whether a variable counts is then decided by the segment's factor list (data), so a rule here
// may name a variable that only some segments list (F65OD exists only in RxHCC's aged community
// segments; the graft add-ons only in the graft segments).
#pragma once
#include "demographics.hpp"
#include "errors.hpp"
#include "scorer.hpp"

namespace hccraf::rules {

// The Medicare steps refuse an HHS-HCC image (hhs_model.hpp scores it). Out of line and cold:
// a throw expression inlined into the hot path kept the compiler from inlining the steps around
// it. release: the model version, or nullptr.
[[noreturn]] void refuse_hhs(const char* release);

// ---------------------------------------------------------------- CMS-HCC (v28_rules.md §5-§6, §15)
inline Segment cms_hcc_segment(const Patient& p) {
    if (p.snp_new_enrollee) return Segment::SNPNE;
    if (p.new_enrollee) return Segment::NE;  // also when institutional: NE has no INS variant
    if (p.institutional) return Segment::INS;
    const bool aged = p.age >= 65;
    switch (p.dual) {
        case Dual::Full:
            return aged ? Segment::CFA : Segment::CFD;
        case Dual::Partial:
            return aged ? Segment::CPA : Segment::CPD;
        case Dual::Non:
            break;
    }
    return aged ? Segment::CNA : Segment::CND;
}

// ---------------------------------------------------------------- RxHCC (rxhcc_v08_rules.md §4)
// Not chosen by CMS's software (it computes all eight scores); this is CMS practice, as the
// golden file states: NE -> LTI / low income / other, else LTI, else low income x aged.
inline Segment rxhcc_segment(const Patient& p) {
    if (p.new_enrollee || p.snp_new_enrollee) {
        if (p.institutional) return Segment::NE_LTI;
        return p.low_income ? Segment::NE_Low_Community : Segment::NE_NonLow_Community;
    }
    if (p.institutional) return Segment::CE_LTI;
    const bool aged = p.age >= 65;
    if (p.low_income) return aged ? Segment::CE_Low_Aged : Segment::CE_Low_NonAged;
    return aged ? Segment::CE_NonLow_Aged : Segment::CE_NonLow_NonAged;
}

// ---------------------------------------------------------------- ESRD (esrd_v24_rules.md §3, §9)
// Graft duration: 0 = DUR4_9 (months 4-9), 1 = DUR10PL (10+), -1 = not a graft month.
inline int graft_duration(const Patient& p) {
    if (p.esrd_status != EsrdStatus::Graft || p.months_since_transplant < 4) return -1;
    return p.months_since_transplant >= 10 ? 1 : 0;
}

inline Segment esrd_segment(const Patient& p) {
    if (p.esrd_status == EsrdStatus::None)
        throw InputError("the ESRD model needs the person's ESRD status",
                         "Give esrd_status: 'dialysis', or 'graft' (kidney transplant) with "
                         "months_since_transplant (the transplant month is 1).");
    const bool ne = p.new_enrollee || p.snp_new_enrollee;
    if (p.esrd_status == EsrdStatus::Dialysis) {
        if (p.months_since_transplant > 0)
            throw InputError("months_since_transplant is given for a person on dialysis",
                             "Use esrd_status 'graft' for a kidney transplant, or leave "
                             "months_since_transplant NULL for dialysis.");
        return ne ? Segment::DIAL_NE : Segment::DIAL;  // institutional stays in DIAL (LTI_*)
    }
    switch (p.months_since_transplant) {
        case 1:
            return Segment::TRANSPLANT_1M;
        case 2:
            return Segment::TRANSPLANT_2M;
        case 3:
            return Segment::TRANSPLANT_3M;
        default:
            break;
    }
    if (p.months_since_transplant < 1)
        throw InputError("the ESRD graft segments need months_since_transplant",
                         "Give the month since the kidney transplant, the transplant month being 1.");
    if (ne) return Segment::GRAFT_NE;
    if (p.institutional) return Segment::GRAFT_INST;
    // Trap (E24 653-711): plain AGEF >= 65 here, no age-64 recode (golden EH25).
    const bool aged = p.age >= 65;
    if (p.dual == Dual::Full) return aged ? Segment::G_COMM_FBD_GE65 : Segment::G_COMM_FBD_LT65;
    return aged ? Segment::G_COMM_ND_PBD_GE65 : Segment::G_COMM_ND_PBD_LT65;
}

inline Segment choose(Family f, const Patient& p) {
    switch (f) {
        case Family::RxHcc:
            return rxhcc_segment(p);
        case Family::Esrd:
            return esrd_segment(p);
        case Family::Hhs:
            refuse_hhs(nullptr);
        case Family::CmsHcc:
            break;
    }
    return cms_hcc_segment(p);
}

// ---------------------------------------------------------------- person-level variables
// Writes the candidate ids (demographics.hpp) for p scored in segment s of family f; returns how
// many (<= kMaxPersonVariables). age is the clamped AGEF.
inline int person_variables(Family f, Segment s, const Patient& p, int age, int (&ids)[kMaxPersonVariables]) {
    const bool male = p.sex == Sex::Male;
    int n = 0;
    if (f == Family::CmsHcc || f == Family::RxHcc) {
        // AGESEXV2 / AGESEXV4: DISABL = age < 65 and OREC not '0'; ORIGDS = OREC '1' and not
        // DISABL (a blank OREC is "not '0', not '1'").
        const bool disabl = age < 65 && p.orec != '0';
        const bool origds = p.orec == '1' && !disabl;
        // LTIMCAID and NEMCAID: full or partial dual (CMS-HCC); RxHCC's NE cells use ESRD (§9).
        const bool medicaid = f == Family::CmsHcc && p.dual != Dual::Non;
        ids[n++] = demo::age_sex_cell(male, age);
        if (origds) ids[n++] = male ? demo::kOrigDisMale : demo::kOrigDisFemale;  // RxHCC: M65OD
        if (medicaid) ids[n++] = demo::kLtimcaid;
        if (origds) ids[n++] = demo::kOrigds;  // RxHCC: OD65
        ids[n++] = demo::new_enrollee_var(male, age, p.orec, f == Family::CmsHcc ? medicaid : p.esrd, origds);
        return n;
    }

    // ESRD (esrd_v24_rules.md §2, §8, §9)
    const bool aged = age >= 65;
    const bool origds = p.orec == '1' && aged;
    const bool full = p.dual == Dual::Full, partial = p.dual == Dual::Partial;
    const int d = graft_duration(p);
    auto fgc = [&](bool a) { return demo::kFirstGraft + (a ? 0 : 4) + d * 2 + (full ? 1 : 0); };
    switch (s) {
        case Segment::TRANSPLANT_1M:
        case Segment::TRANSPLANT_2M:
        case Segment::TRANSPLANT_3M:
            ids[n++] = demo::kTransplant + (static_cast<int>(s) - static_cast<int>(Segment::TRANSPLANT_1M));
            return n;
        case Segment::DIAL_NE:
            // Trap (E24 515): ORIGDIS of the dialysis NE cells is OREC '1' at any age (EH16).
            ids[n++] = demo::dialysis_ne_var(male, age, p.orec, full, p.orec == '1');
            return n;
        case Segment::GRAFT_NE:
            // ORIGDIS = OREC '1' and aged (E24 527); the add-on's age is the NE cell's, so 64
            // with OREC '0' (the "65" cell) takes the GE65 add-on (E24 768-798, golden EH02).
            ids[n++] = demo::new_enrollee_var(male, age, p.orec, full, origds);
            if (d >= 0) ids[n++] = fgc(aged || (age == 64 && p.orec == '0'));
            return n;
        default:
            break;
    }
    ids[n++] = demo::age_sex_cell(male, age);
    if (origds) ids[n++] = male ? demo::kOrigDisMale : demo::kOrigDisFemale;
    if (origds) ids[n++] = demo::kOrigds;  // ORIGDIS (GRAFT_INST, factor 0)
    if ((p.orec == '2' || p.orec == '3') && aged)
        ids[n++] = male ? demo::kOrigEsrdMale : demo::kOrigEsrdFemale;
    if (p.institutional) ids[n++] = aged ? demo::kLtiAged : demo::kLtiNonAged;
    if (full || partial) ids[n++] = demo::kFirstDual + (partial ? 4 : 0) + (male ? 2 : 0) + (aged ? 0 : 1);
    if (d >= 0) {
        ids[n++] = fgc(aged);                                          // G_COMM (FGC_)
        ids[n++] = demo::kFirstFgi + (fgc(aged) - demo::kFirstGraft);  // GRAFT_INST (FGI_)
        if (partial) ids[n++] = demo::kFgcPbdFlag + (aged ? 0 : 1);
        if (partial) ids[n++] = demo::kFgiPbdFlag + (aged ? 0 : 1);
        if (p.institutional) ids[n++] = demo::kLtiGraft + (aged ? 0 : 1);
    }
    return n;
}

}  // namespace hccraf::rules
