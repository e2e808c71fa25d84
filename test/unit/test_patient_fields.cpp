// The patient-field spellings of README "The patient row" (patient_fields.hpp): what each
// accepts, and that everything else is refused (the SQL layer then names the field).
#include <gtest/gtest.h>

#include <string>

#include "patient_fields.hpp"

using namespace hccraf;
using namespace hccraf::fields;

TEST(PatientFields, Sex) {
    for (const char* s : {"M", "m", " male ", "MALE", "1"}) EXPECT_EQ(sex_from_text(s), Sex::Male) << s;
    for (const char* s : {"F", "f", "Female", "2", "\tF\n"}) EXPECT_EQ(sex_from_text(s), Sex::Female) << s;
    for (const char* s : {"", "X", "MF", "0", "3", "males"}) EXPECT_FALSE(sex_from_text(s)) << s;
    EXPECT_EQ(sex_from_int(1), Sex::Male);
    EXPECT_EQ(sex_from_int(2), Sex::Female);
    EXPECT_FALSE(sex_from_int(0));
    EXPECT_FALSE(sex_from_int(-1));
}

TEST(PatientFields, OrecBlankMeansUnknown) {
    EXPECT_EQ(orec_from_text(""), ' ');
    EXPECT_EQ(orec_from_text("   "), ' ');
    EXPECT_EQ(orec_from_text(" 1 "), '1');
    EXPECT_EQ(orec_from_text("3"), '3');
    for (const char* s : {"4", "01", "A", "-1"}) EXPECT_FALSE(orec_from_text(s)) << s;
    EXPECT_EQ(orec_from_int(0), '0');
    EXPECT_FALSE(orec_from_int(7));
}

TEST(PatientFields, DualStatusWordsAndCmsCodes) {
    for (const char* s : {"", "non", "NONE", "n", "No", "00", "0", "9", "10", "99"})
        EXPECT_EQ(dual_from_text(s), Dual::Non) << s;
    for (const char* s : {"full", "FBD", "02", "2", "04", "08"})
        EXPECT_EQ(dual_from_text(s), Dual::Full) << s;
    for (const char* s : {"partial", "pbd", "01", "03", "05", "06"})
        EXPECT_EQ(dual_from_text(s), Dual::Partial) << s;
    for (const char* s : {"07", "11", "100", "yes", "dual"}) EXPECT_FALSE(dual_from_text(s)) << s;
    EXPECT_EQ(dual_from_int(8), Dual::Full);
    EXPECT_FALSE(dual_from_int(7));
}

TEST(PatientFields, Flags) {
    for (const char* s : {"1", "t", "TRUE", "y", "Yes"}) EXPECT_EQ(flag_from_text(s), true) << s;
    for (const char* s : {"0", "f", "false", "N", "no", ""}) EXPECT_EQ(flag_from_text(s), false) << s;
    for (const char* s : {"2", "maybe", "on"}) EXPECT_FALSE(flag_from_text(s)) << s;
    EXPECT_FALSE(flag_from_int(2));
}

TEST(PatientFields, LongTextIsNeverValid) {
    EXPECT_FALSE(sex_from_text(std::string(16, 'M')));
    EXPECT_EQ(flag_from_text("             yes             "), true);  // blanks do not count
    EXPECT_FALSE(dual_from_text(std::string(1 << 20, '0')));
}

TEST(PatientFields, AgeFromAColumn) {
    EXPECT_EQ(age_from_int(0), 0);
    EXPECT_EQ(age_from_int(130), 130);
    EXPECT_FALSE(age_from_int(131));
    EXPECT_FALSE(age_from_int(-1));
    EXPECT_FALSE(age_from_int(INT64_MIN));
}
