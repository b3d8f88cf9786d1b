r"""
4. Why it is called cross-entropy
=================================

Entropy has a second meaning: the fewest yes/no questions needed, on average, to
find out the outcome.  Questions are codes: write 1 for yes and 0 for no, and
each outcome gets a codeword.  A code built for the wrong distribution costs
more questions, and the cost is the *cross*-entropy.
"""

# %%
# Four balls
# ----------
#
# A bag holds balls of four colours, :math:`P = (1/2, 1/4, 1/8, 1/8)`.  Ask first
# "is it red?" (half the time the answer is yes and we are done), then "is it
# green?", then "is it blue?".  Huffman's algorithm finds these best questions.

import crossentropy as xe
from crossentropy.coding import coding_cost, expected_length, huffman_code
from crossentropy.plotting import plot_huffman_tree

colours = ["red", "green", "blue", "yellow"]
p = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
code = huffman_code(p, symbols=colours)
print(code)
print(f"average number of questions: {expected_length(code, p)}")
print(f"entropy H(P):                {xe.entropy(p, base=2)} bits")

plot_huffman_tree(p, symbols=colours)

# %%
# The codeword of a colour of probability :math:`p_c` has :math:`-\log_2 p_c`
# digits: 1, 2, 3, 3.  Its length *is* the colour's information, and the average
# length is the entropy, 1.75 bits.  No code can do better:
# :math:`L \ge H(P)` for every code that can be read back (Shannon's source coding
# theorem).
#
# With four equally likely balls every code needs 2 bits per ball:

print(huffman_code([1 / 4] * 4, symbols=colours), xe.entropy([1 / 4] * 4, base=2))

# %%
# Coding with the wrong model
# ---------------------------
#
# Suppose we believe the colours are equally likely, :math:`Q` uniform, and use
# its code, 2 digits per colour.  The balls still follow :math:`P`.  Each ball of
# colour :math:`c` costs :math:`-\log_2 q_c` digits, so on average
#
# .. math:: \sum_c p_c (-\log_2 q_c) = H(P, Q) = 2 \text{ bits}.
#
# That is the cross-entropy: the average code length when the code comes from
# :math:`Q` and the data from :math:`P`.  The waste over the best code is
# :math:`H(P, Q) - H(P) = D_{KL}(P \| Q) = 0.25` bits per ball.

cost = coding_cost(p, [1 / 4] * 4, symbols=colours)
print(
    f"H(P) = {cost.entropy:.4g}, H(P, Q) = {cost.cross_entropy:.4g}, "
    f"KL = {cost.kl_divergence:.4g} bits per ball"
)

# %%
# When probabilities are not powers of 1/2
# ----------------------------------------
#
# Codeword lengths are whole numbers, so for the diagnoses :math:`(0.7, 0.2,
# 0.1)` the best code has lengths 1, 2, 2 and :math:`L = 1.3` bits, above
# :math:`H(P) = 1.157` bits.  Always :math:`H(P) \le L < H(P) + 1`.  Coding blocks
# of :math:`n` symbols at once shares that last bit among them: the length per
# symbol is less than :math:`H(P) + 1/n`, and tends to the entropy.

from crossentropy.coding import block_code

diagnoses = [0.7, 0.2, 0.1]
print(f"H(P) = {xe.entropy(diagnoses, base=2):.4f} bits")
for n in (1, 2, 3, 4):
    _, per_symbol = block_code(diagnoses, n)
    print(f"blocks of {n}: {per_symbol:.4f} bits per symbol")

# %%
# Exercises
# ---------
#
# 1. Encode the sequence red, red, green, yellow with the four-ball code and
#    decode it back.
#
#    .. dropdown:: Answer
#
#       ``encode(["red", "red", "green", "yellow"], code)`` gives ``"1101000"``
#       (7 digits for 4 balls, 1.75 each); ``decode("1101000", code)`` reads the
#       colours back, because no codeword starts another.
#
# 2. The balls follow :math:`Q = (1/8, 1/8, 1/4, 1/2)` but we use :math:`P`'s
#    code.  How many bits per ball?
#
#    .. dropdown:: Answer
#
#       :math:`H(Q, P) = \tfrac18 \cdot 1 + \tfrac18 \cdot 2 + \tfrac14 \cdot 3 +
#       \tfrac12 \cdot 3 = 2.625` bits, 0.875 bits more than the 1.75 of the
#       right code: ``coding_cost([1/8, 1/8, 1/4, 1/2], p)``.
#
# 3. Why is the cost of the wrong code never below the entropy?
#
#    .. dropdown:: Answer
#
#       Because :math:`H(P, Q) - H(P) = D_{KL}(P \| Q) \ge 0` (Gibbs' inequality).
#
# 4. How many yes/no questions does it take to find one of 1000 equally likely
#    numbers?
#
#    .. dropdown:: Answer
#
#       :math:`\log_2 1000 \approx 9.97`, so 10 questions (halve the range each
#       time).
