"""NRM: the National Referral Mechanism under Kosovo's Law No. 04/L-218."""
