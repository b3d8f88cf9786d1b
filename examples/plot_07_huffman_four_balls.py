"""
Four balls and their Huffman code
=================================

A bag holds balls of four colours with :math:`P = (1/2, 1/4, 1/8, 1/8)`.  Guess the
colour with yes/no questions: ask about the likeliest colour first.  Huffman's
algorithm finds the best questions; the codewords 1, 01, 001, 000 are the
answers.  On average it takes

.. math:: L = \\tfrac12 \\cdot 1 + \\tfrac14 \\cdot 2 + \\tfrac18 \\cdot 3 + \\tfrac18 \\cdot 3
          = 1.75 \\text{ bits} = H(P).
"""

import crossentropy as xe
from crossentropy.coding import encode, expected_length, huffman_code
from crossentropy.plotting import plot_huffman_tree

p = [1 / 2, 1 / 4, 1 / 8, 1 / 8]
code = huffman_code(p, symbols=["red", "green", "blue", "yellow"])
print(code)
print(f"expected length L = {expected_length(code, p)} bits; H(P) = {xe.entropy(p, base=2)} bits")
print("red red green yellow ->", encode(["red", "red", "green", "yellow"], code))

plot_huffman_tree(p, symbols=["red", "green", "blue", "yellow"])

# %%
# With four equally likely balls no question is better than another: every
# code needs 2 bits, and so does the entropy.
uniform = [1 / 4] * 4
print(huffman_code(uniform, symbols=["red", "green", "blue", "yellow"]))
print(f"H(uniform) = {xe.entropy(uniform, base=2)} bits")
